/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: serials for canister's own records in a log that also holds the kernel's events. */
#ifndef CANISTER_LIB_AUDIT_SERIAL_H
#define CANISTER_LIB_AUDIT_SERIAL_H

#include <stdint.h>

/*
 * ausearch groups records by (time to the millisecond, serial).  When canister
 * writes its own records into the log of the kernel's stream, a stamp it makes
 * up must never equal one the kernel has given or will give an event, or
 * ausearch would merge two unrelated events.
 *
 * The kernel's serials are a u32 counter that skips 0, and a serial is handed
 * out at or after the moment its event's time was taken.  So:
 *   - serial 0 is never the kernel's: canister's first record in a millisecond
 *     takes it;
 *   - a serial at or below the highest one the kernel has delivered, S, was
 *     handed out no later than S's delivery, so its event's time is no later
 *     than that; canister's further records in a millisecond strictly after
 *     S's delivery take S, S-1, S-2, ...: serials the kernel has spent, at
 *     times it cannot have stamped them with.
 * When neither is possible the caller waits for the next millisecond.
 */
struct canister_serial_state {
	uint32_t kernel_max;	 /* highest serial the kernel delivered; 0: none yet */
	int64_t kernel_max_msec; /* when it was delivered (wall clock, ms) */
	int64_t msec;		 /* the millisecond canister last stamped in */
	uint32_t used;		 /* stamps given in that millisecond */
};

/* canister_serial_kernel_seen() - the kernel delivered an event with @serial at @now_msec. */
void canister_serial_kernel_seen(struct canister_serial_state *state, uint32_t serial,
				 int64_t now_msec);

/*
 * canister_serial_next() - a serial for a record of canister's stamped @now_msec
 * (wall clock, ms; the caller writes exactly that time in the record).
 *
 * Returns 0 and sets *ret_serial, or -EAGAIN: no serial is safe in this
 * millisecond; call again in the next one.  @now_msec must not go backwards
 * between calls (a clock set back is treated as the same millisecond).
 */
int canister_serial_next(struct canister_serial_state *state, int64_t now_msec,
			 uint32_t *ret_serial);

#endif
