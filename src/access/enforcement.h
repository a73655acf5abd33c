/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what enforces each right of an access policy today, in words, for the status. */
#ifndef CANISTERD_ACCESS_ENFORCEMENT_H
#define CANISTERD_ACCESS_ENFORCEMENT_H

#include "lib/status.h"

/* What canisterd's BPF LSM programs do for net bind/connect and the capability bound. */
enum access_lsm_state {
	ACCESS_LSM_TRACE,	     /* trace mode: the kernel runs no BPF LSM programs */
	ACCESS_LSM_ON,		     /* lsm mode, the programs attached */
	ACCESS_LSM_FAILED,	     /* lsm mode, but they did not load or attach */
	ACCESS_LSM_TRACE_UNRECORDED, /* trace mode, and the bind/connect recorder did not load */
};

/* Cross-container isolation (isolation.c): what enforces or records it. */
enum access_isolation_state {
	ACCESS_ISOLATION_TRACE,		   /* trace mode: signals and ptrace recorded only */
	ACCESS_ISOLATION_TRACE_IDLE,	   /* trace mode, the recorder detached: no container */
	ACCESS_ISOLATION_ON,		   /* lsm mode, the programs attached */
	ACCESS_ISOLATION_FAILED,	   /* lsm mode, but they did not load: @why */
	ACCESS_ISOLATION_TRACE_UNRECORDED, /* trace mode, the recorder did not load: @why */
};

/*
 * access_enforcement() - one row per right a policy can name
 * (CANISTER_STATUS_ACCESS_RIGHTS), saying what enforces it: canisterd's own
 * decisions (the file gate's for execute, read and write in either mode,
 * unless @gate_off says why the gate is not running; @lsm's for net
 * bind/connect, the capability bound, and in lsm mode create and remove),
 * and a `canister run --policy`
 * workload's (Landlock at @landlock_abi, <= 0 for none, and the capability
 * bounding set).  Pure.
 */
void access_enforcement(int landlock_abi, const char *gate_off, enum access_lsm_state lsm,
			struct canister_access_right_status rows[CANISTER_STATUS_ACCESS_RIGHTS],
			unsigned int *ret_count);

/*
 * access_fs_events_enforcement() - the "fs create" and "fs remove" rows of
 * @rows[0..@count) say what the notification group (fs_events.c) does:
 * recorded only, after the fact, or, with @off, not recorded and why;
 * unchanged when @lsm is ACCESS_LSM_ON (BPF LSM decides them, as
 * access_enforcement() says).  Pure.
 */
void access_fs_events_enforcement(const char *off, enum access_lsm_state lsm,
				  struct canister_access_right_status *rows, unsigned int count);

/*
 * access_isolation_enforcement() - the rows "isolation signal", "isolation
 * ptrace", "isolation files" and "grants" after *@count of @rows (@room at most), in
 * @state (@why: why the programs did not load, for ACCESS_ISOLATION_FAILED).
 * Pure.
 */
void access_isolation_enforcement(enum access_isolation_state state, const char *why,
				  struct canister_access_right_status *rows, unsigned int *count,
				  unsigned int room);

#endif
