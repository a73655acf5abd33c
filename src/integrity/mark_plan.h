/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which mounts of one mount namespace the file gate marks, from its mountinfo (pure). */
#ifndef CANISTERD_INTEGRITY_MARK_PLAN_H
#define CANISTERD_INTEGRITY_MARK_PLAN_H

#include "lib/mountinfo.h"

#include <stdbool.h>
#include <stdint.h>

/* Filesystems marked per namespace at most: a bound on what one container can make us do. */
#define MARK_PLAN_MAX 256

/* One superblock to mark, through one of its mounts. */
struct mark_target {
	uint32_t device; /* mark_plan_device() of its major:minor */
	char point[PATH_MAX];
	char fstype[64];
};

/*
 * What to mark in one namespace: one mount per superblock (FAN_MARK_FILESYSTEM
 * covers the superblock, so its bind mounts add nothing), none that
 * mark_pick_fstype() leaves out, none another namespace already marked.
 */
struct mark_plan {
	unsigned int count;
	unsigned int fuse;	   /* FUSE mounts left out (their files are not measured) */
	unsigned int known;	   /* superblocks already marked through another namespace */
	unsigned int too_many;	   /* superblocks beyond MARK_PLAN_MAX */
	char fuse_point[PATH_MAX]; /* the first FUSE mount, for the log */
	struct mark_target target[MARK_PLAN_MAX];
	/*
	 * The host mount exemption (exempt.h): every mount of canisterd's own
	 * namespace whose filesystem is marked, each vfsmount apart (an ignore
	 * mark is per mount, not per superblock); empty for a container's.
	 */
	unsigned int ignore_count;
	unsigned int ignore_too_many; /* mounts beyond MARK_PLAN_MAX: they keep their events */
	char ignore[MARK_PLAN_MAX][PATH_MAX];
};

/* Whether superblock @device is already marked; NULL: none is. */
typedef bool (*mark_plan_known_fn)(uint32_t device, void *ctx);

static inline uint32_t mark_plan_device(unsigned int major, unsigned int minor)
{
	return major << 20 | (minor & 0xfffff);
}

void mark_plan_init(struct mark_plan *plan);

/*
 * mark_plan_add() - one line of /proc/PID/mountinfo.  Returns true when it
 * added a target; lines that do not parse, pseudo filesystems and
 * superblocks already in the plan or known are passed over.
 */
bool mark_plan_add(struct mark_plan *plan, const char *line, mark_plan_known_fn known, void *ctx);

/*
 * mark_plan_add_ignore() - one line of canisterd's own mountinfo: its mount
 * point, when its filesystem is one the gate marks, to be given an ignore
 * mark.  Returns true when it was added.
 */
bool mark_plan_add_ignore(struct mark_plan *plan, const char *line);

/* mark_plan_has() - whether @device is one of @plan's targets. */
bool mark_plan_has(const struct mark_plan *plan, uint32_t device);

#endif
