/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: where a process's cgroups of the v1 hierarchies are, from /proc and mountinfo. */
#ifndef CANISTER_LIB_CGROUP1_H
#define CANISTER_LIB_CGROUP1_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A hybrid host (systemd's layout: cgroup v2 at /sys/fs/cgroup/unified, the
 * controllers in v1 hierarchies beside it) puts every process in one cgroup
 * of each v1 hierarchy as well.  canisterd records only the v2 one, and lsm
 * mode lets a container write, in a v1 hierarchy, the cgroup its writer is
 * in and those beneath: `canister run` therefore gives its container a
 * cgroup of its own in each of them too, as runc does.
 */

/* The kernel has at most 16 controllers, and named hierarchies are rare. */
#define CANISTER_CGROUP1_MAX 32

/* One v1 hierarchy a process is in. */
struct canister_cgroup1 {
	char controllers[128]; /* as /proc/PID/cgroup names them: "cpu,cpuacct", "name=systemd" */
	char path[PATH_MAX];   /* the process's cgroup in it, "/" its root */
	char dir[PATH_MAX];    /* that cgroup's directory, or "" where it is not mounted */
	bool dir_read_only;    /* found only under a read-only mount */
};

/*
 * canister_cgroup1_line() - one line of /proc/PID/cgroup, "ID:CONTROLLERS:PATH"
 * (no newline needed), into @ret's controllers and path.  Returns 0, -ENOENT
 * for the v2 line ("0::PATH") or a hierarchy with no controller name,
 * -EINVAL for a line that is not one (or a path with a ".." component, or of
 * a removed cgroup), or -ENAMETOOLONG.
 */
int canister_cgroup1_line(const char *line, struct canister_cgroup1 *ret);

/*
 * canister_cgroup1_mounts() - whether a mount of type "cgroup" whose
 * superblock options are @super_options ("rw,cpu,cpuacct") is the hierarchy
 * of @controllers: each controller is bound to one hierarchy only, so one in
 * common names it; all of them must be there.
 */
bool canister_cgroup1_mounts(const char *controllers, const char *super_options);

/*
 * canister_cgroup1_lines() - the v1 hierarchies of a /proc/PID/cgroup table
 * @text, in its order, into @ret (at most @max; directories left ""), their
 * count into *@ret_count.  An empty table has none: the kernel lists v2's
 * line only once cgroup2 has been mounted.  Returns 0, -EINVAL or
 * -ENAMETOOLONG as canister_cgroup1_line(), or -E2BIG past @max.
 */
int canister_cgroup1_lines(const char *text, struct canister_cgroup1 *ret, size_t max,
			   size_t *ret_count);

/*
 * canister_cgroup1_self() - the calling process's v1 hierarchies, in
 * /proc/self/cgroup's order, into @ret (at most @max), their count into
 * *@ret_count, each with its directory under the first mount of this mount
 * namespace that shows it, a writable one first ("" where none does).  Returns 0, or -errno of
 * reading /proc, -EINVAL or -ENAMETOOLONG as canister_cgroup1_line(), or
 * -E2BIG past @max.
 */
int canister_cgroup1_self(struct canister_cgroup1 *ret, size_t max, size_t *ret_count);

#endif
