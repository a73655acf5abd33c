// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the audit capability's entry in the core's table. */
#include "audit/audit.h"

#include "audit/guardian.h"
#include "audit/requests.h"
#include "audit/status.h"
#include "audit/stream.h"
#include "core/capability.h"
#include "core/rotate.h"

static void audit_rotate_logs(struct canisterd *d, struct rotation_report *report)
{
	if (d->config.kernel_audit)
		rotation_report_add(report, "host_log", d->config.host_log,
				    kaudit_rotate_host_log());
}

static void audit_fill_status(struct canisterd *d, struct canister_status *ret)
{
	audit_status(d, &ret->audit, &ret->warnings);
}

static const struct capability_request audit_requests[] = {
	{ CANISTER_OP_AUDIT_ADD, audit_handle_add },
	{ CANISTER_OP_AUDIT_REMOVE, audit_handle_remove },
	{ 0, NULL },
};

const struct capability audit_capability = {
	.name = "audit",
	.open = kaudit_open,
	.close = kaudit_close,
	.tick = kaudit_tick,
	.process_started = kaudit_process_started,
	.process_exited = kaudit_process_exited,
	.rotate_logs = audit_rotate_logs,
	.status = audit_fill_status,
	.requests = audit_requests,
	.helper_arg = GUARDIAN_ARG,
	.helper_main = guardian_main,
};
