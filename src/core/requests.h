/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: answers one decoded control request from one identified peer. */
#ifndef CANISTERD_REQUESTS_H
#define CANISTERD_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"

struct json_object;

/* request_handle() - the reply object for @request (never NULL but on ENOMEM). */
struct json_object *request_handle(struct canisterd *d, const struct peer *peer,
				   const struct canister_request *request);

#endif
