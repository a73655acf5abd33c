/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: the clocks read in nanoseconds. */
#ifndef CANISTER_LIB_CLOCK_H
#define CANISTER_LIB_CLOCK_H

#include <stdint.h>

/*
 * canister_monotonic_ns() - CLOCK_MONOTONIC: BPF's bpf_ktime_get_ns() and a
 * task's start time are on it, and it never steps, so deadlines and ages
 * are measured with it.
 */
uint64_t canister_monotonic_ns(void);

/* canister_realtime_ns() - CLOCK_REALTIME: what a record's timestamp says. */
uint64_t canister_realtime_ns(void);

#endif
