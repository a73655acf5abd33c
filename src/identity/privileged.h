/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which labelled processes could change labels, summarised (pure, no I/O). */
#ifndef CANISTERD_IDENTITY_PRIVILEGED_H
#define CANISTERD_IDENTITY_PRIVILEGED_H

#include "lib/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * privileged_scan_add() - count one labelled process of container @contid
 * into @scan, and if it is @privileged (able to change labels, for the
 * reasons @why says: tamper_describe()), keep it among the
 * CANISTER_STATUS_PRIVILEGED_SHOWN lowest pids (ascending; each pid once, as
 * a walk of the labels map gives them).  @scan starts zeroed; ->done and the
 * times are the caller's.
 */
void privileged_scan_add(struct canister_privileged_scan *scan, pid_t pid, uint64_t contid,
			 bool privileged, const char *why);

/*
 * privileged_warning() - the one warning about @scan's privileged processes,
 * however many there are: the first few by pid, and how many more; "" when
 * there are none.  @lsm: the guard refuses them new fds to canister's objects
 * (not those already held, which the reasons name), and it says so.
 */
void privileged_warning(const struct canister_privileged_scan *scan, bool lsm, char *buf,
			size_t len);

#endif
