// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: serials for canister's own records in a log that also holds the kernel's events. */
#include "audit/serial.h"

#include <errno.h>

void canister_serial_kernel_seen(struct canister_serial_state *state, uint32_t serial,
				 int64_t now_msec)
{
	/*
	 * Serials wrap at 2^32; a much smaller one than the highest seen is a
	 * wrapped counter, whose past serials are all newer than the old maximum's
	 * delivery: start again from it.
	 */
	if (serial > state->kernel_max || state->kernel_max - serial > UINT32_MAX / 2) {
		state->kernel_max = serial;
		state->kernel_max_msec = now_msec;
	} else if (serial == state->kernel_max) {
		state->kernel_max_msec = now_msec;
	}
}

int canister_serial_next(struct canister_serial_state *state, int64_t now_msec,
			 uint32_t *ret_serial)
{
	uint32_t borrowed;

	if (now_msec > state->msec) {
		state->msec = now_msec;
		state->used = 0;
	}
	if (state->used == 0) {
		state->used = 1;
		*ret_serial = 0;
		return 0;
	}
	/* The kernel may still stamp events with the millisecond of its last delivery. */
	if (state->kernel_max == 0 || state->msec <= state->kernel_max_msec ||
	    state->used > state->kernel_max)
		return -EAGAIN;
	borrowed = state->kernel_max - (state->used - 1);
	if (borrowed == 0)
		return -EAGAIN;
	state->used++;
	*ret_serial = borrowed;
	return 0;
}
