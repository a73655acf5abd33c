/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the audit section of the status (kernel audit stream, sinks, plugins). */
#ifndef CANISTERD_AUDIT_STATUS_H
#define CANISTERD_AUDIT_STATUS_H

#include "core/canisterd.h"
#include "lib/status.h"

/* audit_status() - fill @ret; warns when auditd's plugin feed is not there. */
void audit_status(struct canisterd *d, struct canister_audit_status *ret,
		  struct canister_status_warnings *warnings);

#endif
