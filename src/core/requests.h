/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: answers one decoded control request from one identified peer. */
#ifndef CANISTERD_REQUESTS_H
#define CANISTERD_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * request_handle() - answer @request from @peer in *ret (an answer or a
 * refusal; see core/reply.h for the handlers' shape).
 */
void request_handle(struct canisterd *d, const struct peer *peer,
		    const struct canister_request *request, struct canister_reply *ret);

#endif
