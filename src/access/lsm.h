/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: lsm mode: BPF LSM decides the TCP ports, the capability
 * bound and the file create and remove rights of every held access policy,
 * from pinned maps canisterd fills.
 */
#ifndef CANISTERD_ACCESS_LSM_H
#define CANISTERD_ACCESS_LSM_H

#include "access/policy.h"
#include "core/canisterd.h"
#include "lib/protocol.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The maps pinned under pin_path, for `canisterd --unload`. */
extern const char *const access_lsm_pinned_maps[];

/*
 * access_lsm_open() - in lsm mode, load bpf/access_lsm.bpf.c with its maps
 * pinned under pin_path (reused when an earlier run pinned them), write
 * every held policy into them and remove what no container holds any more,
 * attach, and read the reports on a thread of its own.  In trace mode
 * nothing, and the status says so.  Returns 0, or -errno with @why.
 */
int access_lsm_open(struct canisterd *d, char *why, size_t why_len);
void access_lsm_close(void);

/* access_lsm_on() - whether the programs decide from maps this run fills. */
bool access_lsm_on(void);

/* access_lsm_enforcing() - whether they are lsm mode's, which deny (create and remove too). */
bool access_lsm_enforcing(void);

/*
 * access_lsm_put() - container @contid's policy in the kernel from now on:
 * @policy in @mode.  Before the load is answered, so that the workload is
 * bound from its first instruction after it.  A policy that handles create
 * or remove has its rule paths bound to inodes now, in the container's root
 * (lsm_fs.h).  Returns 0 (also in trace mode: nothing to write), or -errno
 * with @why (-E2BIG: the maps hold as many containers, or rule paths, as
 * they can; -ESRCH, -ETIMEDOUT: the rule paths could not be resolved): the
 * maps then hold what the table does.
 */
int access_lsm_put(uint64_t contid, const struct canister_access_policy *policy,
		   enum canister_access_mode mode, char *why, size_t why_len);

/* access_lsm_sync() - @contid's entries as the held table has them: its policy, or none. */
void access_lsm_sync(uint64_t contid);

/* access_lsm_remove() - @contid holds no policy in the kernel any more. */
void access_lsm_remove(uint64_t contid);

struct access_lsm_stats {
	bool on;
	uint64_t denied;     /* by the BPF hooks, since the maps were pinned */
	uint64_t complained; /* let through in complain that enforce would deny */
	uint64_t lost;	     /* reports with no room in the ring buffer: counted only */
	uint64_t reported;   /* reports this run read */
	char detail[256];    /* the hooks, or why they do not run */
};
void access_lsm_stats(struct access_lsm_stats *ret);

#endif
