// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the audit capability's control requests (audit-add, audit-remove). */
#include "audit/requests.h"

#include "audit/sinks.h"
#include "core/reply.h"
#include "identity/identity.h"

#include <stdio.h>

/* audit-add: the host's audit administrator starts a sink for a container. */
int audit_handle_add(struct canisterd *d, const struct peer *peer,
		     const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_sink_config config = { .contid = request->contid };
	const struct canister_sink_request *sink = &request->sink;
	char why[768];
	int r = identity_check_host_admin(d, peer, why, sizeof(why));

	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	snprintf(config.log, sizeof(config.log), "%s", sink->log);
	snprintf(config.rules, sizeof(config.rules), "%s", sink->rules);
	snprintf(config.socket, sizeof(config.socket), "%s", sink->socket);
	config.backlog = sink->backlog ? sink->backlog : CANISTER_DEFAULT_SINK_BACKLOG;
	config.backlog_bytes = CANISTER_DEFAULT_SINK_BACKLOG_BYTES;
	config.format = sink->json ? CANISTER_LOG_FORMAT_JSON : CANISTER_LOG_FORMAT_TEXT;
	config.policy = d->config.log_policy;
	r = sinks_add(d, &config, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	return 0;
}

int audit_handle_remove(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret)
{
	char why[256];
	int r = identity_check_host_admin(d, peer, why, sizeof(why));

	if (r == 0)
		r = sinks_remove(d, request->contid, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	return 0;
}
