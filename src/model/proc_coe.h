/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: a process's current credentials as TSEM's COE, from /proc. */
#ifndef CANISTER_MODEL_PROC_COE_H
#define CANISTER_MODEL_PROC_COE_H

#include "lib/procfs.h"
#include "model/event.h"

#include <sys/types.h>

/* canister_model_coe_of_creds() - @creds (canister_proc_creds()) as TSEM's COE. */
void canister_model_coe_of_creds(const struct canister_proc_creds *creds,
				 struct canister_model_coe *ret);

/*
 * canister_model_proc_coe() - @pid's credentials now (/proc/PID/status,
 * through canister_proc_creds()) as TSEM's COE: the real, effective, saved
 * and filesystem uids and gids, and the effective capabilities.  The one
 * COE reader of canisterd and of the tools (it needs nothing of the
 * daemon's).  Returns 0, -ESRCH (gone) or -EPROTO (a status it cannot
 * read).
 */
int canister_model_proc_coe(pid_t pid, struct canister_model_coe *ret);

#endif
