/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: where a process's cgroup v2 is, read from /proc/PID/cgroup and cgroupfs. */
#ifndef CANISTER_LIB_CGROUP2_H
#define CANISTER_LIB_CGROUP2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Where cgroup v2 is mounted (in the reader's mount namespace): the unified
 * layout's, else the hybrid layout's (systemd's, with v1 controllers beside).
 */
#define CANISTER_CGROUP2_ROOT "/sys/fs/cgroup"
#define CANISTER_CGROUP2_ROOT_HYBRID "/sys/fs/cgroup/unified"

/*
 * canister_cgroup2_proc_path() - the cgroup v2 path ("0::PATH") in the text of
 * /proc/PID/cgroup, copied to @buf.  Returns 0, -ENOENT (no v2 line: a v1-only
 * host, or the process is gone), -EINVAL (not an absolute path, or one with a
 * ".." component or a cgroup that was removed) or -ENAMETOOLONG.
 */
int canister_cgroup2_proc_path(const char *proc_cgroup_text, char *buf, size_t len);

/*
 * canister_cgroup2_dir() - the directory of cgroup @path (as /proc/PID/cgroup
 * names it, "/" the root) under the mount @root, with @name (NULL: none) as a
 * child beneath it, into @buf.  Returns 0, -EINVAL (@name empty or holding a
 * '/', or is "." or "..") or -ENAMETOOLONG.
 */
int canister_cgroup2_dir(const char *root, const char *path, const char *name, char *buf,
			 size_t len);

/*
 * canister_cgroup2_procs_count() - how many pids the text of a cgroup.procs
 * file lists for which @excluded (NULL: none) says false, into *@ret_count.
 * Returns 0 or -EINVAL (a line that is not a pid).
 */
int canister_cgroup2_procs_count(const char *procs_text, bool (*excluded)(pid_t pid, void *ctx),
				 void *ctx, uint64_t *ret_count);

/*
 * canister_cgroup2_procs_read() - cgroup directory @dir's cgroup.procs, whole
 * (at most 4 MiB: -ENOMEM beyond), into a NUL-terminated *@ret the caller
 * frees.  Returns 0 or -errno.
 */
int canister_cgroup2_procs_read(const char *dir, char **ret);

/*
 * canister_cgroup2_run_name() - the name of the cgroup `canister run` makes
 * for its child @pid, "canister-run-PID", or "canister-run-PID-@attempt" when
 * an earlier one is taken (@attempt > 0).  Returns 0 or -ENAMETOOLONG.
 */
int canister_cgroup2_run_name(pid_t pid, unsigned int attempt, char *buf, size_t len);

/*
 * canister_cgroup2_run_pid() - the child's pid in a name that
 * canister_cgroup2_run_name() makes, or 0 for any other name.
 */
pid_t canister_cgroup2_run_pid(const char *name);

/*
 * canister_cgroup2_root() - the mount of cgroup v2 in this mount namespace:
 * CANISTER_CGROUP2_ROOT or CANISTER_CGROUP2_ROOT_HYBRID, or NULL (neither is
 * a cgroup2 mount: a v1-only host, or none mounted).
 */
const char *canister_cgroup2_root(void);

/*
 * canister_cgroup2_of() - @pid's (0: the caller's) cgroup v2 directory under
 * @root into @buf.  Returns 0, -errno of reading /proc/PID/cgroup, or
 * canister_cgroup2_proc_path()'s and canister_cgroup2_dir()'s errors.
 */
int canister_cgroup2_of(pid_t pid, const char *root, char *buf, size_t len);

#endif
