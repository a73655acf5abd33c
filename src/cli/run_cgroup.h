/* SPDX-License-Identifier: GPL-2.0-only */
/* canister run: the cgroups of its own a container's first process is moved into. */
#ifndef CANISTER_CLI_RUN_CGROUP_H
#define CANISTER_CLI_RUN_CGROUP_H

#include "cli/cli.h"
#include "lib/cgroup1.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The cgroups a run made: dir is empty when it made none of v2, v1_count 0
 * when none of v1.  About 130 KiB: the CLI keeps its one static.
 */
struct run_cgroup {
	char dir[PATH_MAX];
	size_t v1_count;
	char v1_dirs[CANISTER_CGROUP1_MAX][PATH_MAX];
};

/*
 * run_cgroup_enter() - make a cgroup "canister-run-PID" beneath the caller's
 * own cgroup v2 and move @child (not yet registered, not yet exec'd) into it,
 * so that canisterd records that cgroup and not the caller's, which other
 * processes share; on a hybrid host, one beneath the caller's cgroup of each
 * v1 hierarchy as well (lsm mode lets a container write there the cgroup it
 * is in).  With no cgroup v2 mounted (a v1-only host) it makes none of v2
 * and says nothing (canisterd logs that it read no cgroup of the container);
 * a v1 hierarchy that no cgroup mount here shows is named on stderr.  Returns 0, or -errno
 * after cli_error(): what it made is in @ret, for run_cgroup_leave() once
 * the child has ended.
 */
int run_cgroup_enter(const struct cli *cli, pid_t child, struct run_cgroup *ret);

/*
 * run_cgroup_shared_warn() - `--cgroup none`: warn that the container shares
 * the caller's cgroup, with what that lets its root do.
 */
void run_cgroup_shared_warn(void);

/*
 * run_cgroup_leave() - once the run is over, remove its cgroups and the empty
 * sub-cgroups the workload made; one that still holds processes (the
 * workload left some behind) stays, and stderr says so.  Nothing is killed.
 */
void run_cgroup_leave(const struct run_cgroup *cgroup, uint64_t contid);

#endif
