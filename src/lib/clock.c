// SPDX-License-Identifier: GPL-2.0-only
/* canister: the clocks read in nanoseconds. */
#include "lib/clock.h"

#include <time.h>

static uint64_t read_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t canister_monotonic_ns(void)
{
	return read_ns(CLOCK_MONOTONIC);
}

uint64_t canister_realtime_ns(void)
{
	return read_ns(CLOCK_REALTIME);
}
