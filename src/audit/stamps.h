/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: stamps for canister's own records in logs that also hold the kernel's events. */
#ifndef CANISTERD_STAMPS_H
#define CANISTERD_STAMPS_H

#include "lib/audit_record.h"

#include <stdint.h>

/* The kernel delivered an event with @serial (kernel audit reader only). */
void stamps_kernel_seen(uint32_t serial);

/*
 * stamps_next() - a stamp for a record of canister's happening now, that
 * cannot equal any stamp the kernel gave or gives (audit/serial.h says
 * why); waits for the next millisecond when this one has none left.  Any thread.
 */
void stamps_next(struct canister_record_stamp *ret_stamp);

#endif
