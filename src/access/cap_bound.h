/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a container's capability bound, applied to the process that will exec its workload. */
#ifndef CANISTER_ACCESS_CAP_BOUND_H
#define CANISTER_ACCESS_CAP_BOUND_H

#include <stddef.h>
#include <stdint.h>

/*
 * access_cap_bound_apply() - every capability outside @bound (bit N:
 * capability N) leaves the calling process's bounding, inheritable and
 * ambient sets.  Bounding sets only shrink and are inherited, so nothing the
 * process or its descendants exec (file capabilities, setuid root) can hold
 * one again.  Needs CAP_SETPCAP.  -errno with @why.
 */
int access_cap_bound_apply(uint64_t bound, char *why, size_t why_len);

#endif
