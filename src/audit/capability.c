// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the audit capability's entry in the core's table. */
#include "audit/audit.h"

#include "audit/stream.h"
#include "core/capability.h"

const struct capability audit_capability = {
	.name = "audit",
	.open = kaudit_open,
	.close = kaudit_close,
	.tick = kaudit_tick,
	.process_started = kaudit_process_started,
	.process_exited = kaudit_process_exited,
};
