/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the audit capability's control requests (audit-add, audit-remove). */
#ifndef CANISTERD_AUDIT_REQUESTS_H
#define CANISTERD_AUDIT_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * Only the host's audit administrator adds or removes a sink (EPERM for
 * anyone else); the rest of the refusals are sinks_add()'s and sinks_remove()'s.
 */
int audit_handle_add(struct canisterd *d, const struct peer *peer,
		     const struct canister_request *request, struct canister_reply *ret);
int audit_handle_remove(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret);

#endif
