/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the grant, revoke and grant-list control requests. */
#ifndef CANISTERD_ACCESS_GRANT_REQUESTS_H
#define CANISTERD_ACCESS_GRANT_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * Only the host's audit administrator may grant, revoke or list: a grant
 * widens what a container may do to every other container, which no
 * orchestrator (it owns its own containers only) and no contained process
 * may decide.  Each grant and revoke writes a CONTAINER_ACCESS record.
 */
int access_handle_grant(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret);
int access_handle_revoke(struct canisterd *d, const struct peer *peer,
			 const struct canister_request *request, struct canister_reply *ret);
int access_handle_grant_list(struct canisterd *d, const struct peer *peer,
			     const struct canister_request *request, struct canister_reply *ret);

#endif
