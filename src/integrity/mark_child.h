/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a short-lived helper process that marks one namespace's filesystems for the gate. */
#ifndef CANISTERD_INTEGRITY_MARK_CHILD_H
#define CANISTERD_INTEGRITY_MARK_CHILD_H

#include "core/in_root.h"
#include "integrity/mark_plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* How long the helper may take before it is killed and its unmarked targets fail. */
#define MARK_CHILD_DEADLINE_MS 2000

/*
 * Marking needs a path, and a path into a container's mount namespace
 * walks that container's filesystems (core/in_root.h): a forked helper
 * opens each mount point (O_PATH) and passes the descriptor back, and
 * canisterd marks it in the gate's group from its main loop, never waiting
 * longer than the deadline.  The helper holds no group of the gate's: one
 * stuck for good cannot keep the gate's permission events waiting once
 * canisterd is gone.
 */
struct mark_child {
	struct in_root helper; /* its results: tag the target's index, err 0 or -errno */
};

/*
 * mark_child_start() - mark @plan's targets, each mount point taken as a
 * path beneath directory @root (an O_PATH descriptor of the root the
 * mount table was read against) and resolved there alone (RESOLVE_IN_ROOT,
 * no symlinks).  Returns 0, or -errno with @why.
 */
int mark_child_start(struct mark_child *child, int root, const struct mark_plan *plan, char *why,
		     size_t why_len);

/*
 * mark_child_collect() - mark each target the helper opened so far in the
 * gate's group (ignore marks too, while exempt_in_force()), the results into
 * @err (0 marked, or -errno of the walk or of the mark; a target it did not
 * report keeps what the caller put there), likewise each ignore mark's into
 * @ignores (NULL: none asked for), and the helper reaped if it ended.  Returns true when it ended:
 * ->helper.pid is then 0 and its descriptors closed.
 */
struct mark_ignore_results {
	int *err; /* per ignore mark of the plan: 0, or -errno */
	unsigned int count;
	bool legacy; /* FAN_MARK_IGNORED_MASK: the kernel refused FAN_MARK_IGNORE */
};
bool mark_child_collect(struct mark_child *child, int *err, unsigned int count,
			struct mark_ignore_results *ignores);

/*
 * mark_child_also() - each helper started from now on marks every target it
 * opens in fanotify group @group too (FAN_MARK_FILESYSTEM, @mask), or no
 * other group for @group -1: a notification group of another capability
 * (never one with permission events: a stuck helper holds it) sees the
 * filesystems the gate does, inside the containers' namespaces, without
 * walking there itself.  Main loop.
 */
void mark_child_also(int group, uint64_t mask);

/* mark_child_expired() - its deadline passed (CLOCK_MONOTONIC @now). */
bool mark_child_expired(const struct mark_child *child, const struct timespec *now);

/*
 * mark_child_kill() - SIGKILL.  A helper in an uninterruptible wait (a FUSE
 * request its server read and never answers) ends only when that wait does:
 * until then it stays a zombie-to-be that holds nothing of canisterd's but
 * the container's root and the other group (mark_child_also()): it closed
 * the rest at its start and never had the gate's group.
 */
void mark_child_kill(struct mark_child *child);

/*
 * mark_child_abandon() - killed, its results no longer wanted: reaped now if
 * it ended, else by in_root_tick() when it can (canisterd stopping).
 */
void mark_child_abandon(struct mark_child *child);

#endif
