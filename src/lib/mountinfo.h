/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: the fields of a /proc/PID/mountinfo line (pure). */
#ifndef CANISTER_LIB_MOUNTINFO_H
#define CANISTER_LIB_MOUNTINFO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Identity's trace-mode scanner judges whether a labelled process can reach
 * the pins from /proc/PID/mountinfo, never by a path walk through its root: a
 * walk enters the filesystems of the process's mount namespace, and a
 * container may mount there one that never answers (FUSE), which would hold
 * the walker for good.  mountinfo is printed from the kernel's mount tree
 * (device numbers, d_path of the mount's root and mount point, the
 * superblock's stored options) and asks no filesystem anything.
 */

/*
 * The fields of one mountinfo line that the scan, the gate's mark plan and
 * canister run's cgroup v1 search read (proc(5)).
 */
struct mountinfo_entry {
	unsigned int major, minor; /* the superblock's device: st_dev of every file in it */
	char root[PATH_MAX];	   /* the directory of that filesystem this mount shows */
	char point[PATH_MAX];	   /* where, relative to the reading process's root */
	char fstype[64];
	bool read_only; /* the mount's own options (not the superblock's) say "ro" */
};

/*
 * mountinfo_parse() - one line of /proc/PID/mountinfo (no newline needed)
 * into @ret, with the kernel's octal escapes (\040 for a space, ...) undone.
 * Returns 0, or -EPROTO for a line that is not one.
 */
int mountinfo_parse(const char *line, struct mountinfo_entry *ret);

/*
 * mountinfo_super_options() - the superblock's options of one mountinfo line
 * (its last field, as printed: "rw,freezer" for a cgroup v1 hierarchy) into
 * @buf.  Kept apart from mountinfo_parse(): an overlay's run to kilobytes,
 * and a line whose options do not fit is still one.  Returns 0, -EPROTO for a line that
 * is not one, or -ENAMETOOLONG.
 */
int mountinfo_super_options(const char *line, char *buf, size_t len);

/*
 * mountinfo_within() - whether absolute @path is @dir or beneath it, by
 * whole components ("/a/bc" is not beneath "/a/b"; everything is beneath "/").
 */
bool mountinfo_within(const char *path, const char *dir);

/*
 * mountinfo_exposes() - whether @entry mounts the filesystem of device
 * @major:@minor so that the directory @rel of it (a path from that
 * filesystem's root) is beneath the mount: a mount of another instance of
 * the same filesystem type, or a bind mount of a sibling directory, is not.
 */
bool mountinfo_exposes(const struct mountinfo_entry *entry, unsigned int major, unsigned int minor,
		       const char *rel);

/*
 * mountinfo_relative() - @path (absolute, beneath @entry's mount point) as a
 * path from the root of @entry's filesystem, into @buf.  Returns 0, or
 * -EINVAL (not beneath it) or -ENAMETOOLONG.
 */
int mountinfo_relative(const struct mountinfo_entry *entry, const char *path, char *buf,
		       size_t len);

#endif
