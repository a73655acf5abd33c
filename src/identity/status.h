/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the identity section of the status (labels, inheritance, containers). */
#ifndef CANISTERD_IDENTITY_STATUS_H
#define CANISTERD_IDENTITY_STATUS_H

#include "core/canisterd.h"
#include "lib/status.h"

/*
 * identity_status() - fill @ret, and add identity's warnings (lost events,
 * privileged labelled processes) to @warnings.  Walks the labels and
 * containers maps (a few batched syscalls) but reads no /proc: the
 * privileged processes are the last result of the scanner thread.
 */
void identity_status(struct canisterd *d, struct canister_identity_status *ret,
		     struct canister_status_warnings *warnings);

#endif
