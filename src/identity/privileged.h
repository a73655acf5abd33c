/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which labelled processes could tamper with labels, summarised (pure, no I/O). */
#ifndef CANISTERD_IDENTITY_PRIVILEGED_H
#define CANISTERD_IDENTITY_PRIVILEGED_H

#include "lib/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * privileged_caps() - whether effective capabilities @cap_effective include
 * CAP_SYS_ADMIN or CAP_BPF: enough to reach canister's maps, and in trace
 * mode nothing stops that (README, threat model).
 */
bool privileged_caps(uint64_t cap_effective);

/*
 * privileged_scan_add() - count one labelled process of container @contid
 * into @scan, and if it is @privileged, keep it among the
 * CANISTER_STATUS_PRIVILEGED_SHOWN lowest pids (ascending; each pid once, as
 * a walk of the labels map gives them).  @scan starts zeroed; ->done and the
 * times are the caller's.
 */
void privileged_scan_add(struct canister_privileged_scan *scan, pid_t pid, uint64_t contid,
			 bool privileged);

/*
 * privileged_warning() - the one warning about @scan's privileged processes,
 * however many there are: the first few by pid, and how many more; "" when
 * there are none.  @lsm: the guard refuses them the maps, and it says so.
 */
void privileged_warning(const struct canister_privileged_scan *scan, bool lsm, char *buf,
			size_t len);

#endif
