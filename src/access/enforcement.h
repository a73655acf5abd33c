/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what enforces each right of an access policy today, in words, for the status. */
#ifndef CANISTERD_ACCESS_ENFORCEMENT_H
#define CANISTERD_ACCESS_ENFORCEMENT_H

#include "lib/status.h"

/* What canisterd's BPF LSM programs do for net bind/connect and the capability bound. */
enum access_lsm_state {
	ACCESS_LSM_TRACE,  /* trace mode: the kernel runs no BPF LSM programs */
	ACCESS_LSM_ON,	   /* lsm mode, the programs attached */
	ACCESS_LSM_FAILED, /* lsm mode, but they did not load or attach */
};

/*
 * access_enforcement() - one row per right a policy can name
 * (CANISTER_STATUS_ACCESS_RIGHTS), saying what enforces it: canisterd's own
 * decisions (the file gate's for execute, read and write in either mode,
 * unless @gate_off says why the gate is not running; @lsm's for net
 * bind/connect and the capability bound), and a `canister run --policy`
 * workload's (Landlock at @landlock_abi, <= 0 for none, and the capability
 * bounding set).  Pure.
 */
void access_enforcement(int landlock_abi, const char *gate_off, enum access_lsm_state lsm,
			struct canister_access_right_status rows[CANISTER_STATUS_ACCESS_RIGHTS],
			unsigned int *ret_count);

#endif
