/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the identity capability's control requests that read (get, list). */
#ifndef CANISTERD_IDENTITY_REQUESTS_H
#define CANISTERD_IDENTITY_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * "get": the container chain, name and delegation of a process (a thread id
 * answers for its group).  EXDEV for a caller in another pid namespace,
 * ESRCH for no such process, EIO when the labels map cannot be read.
 */
int identity_handle_get(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret);

/* "list": one page of live containers, by contid, after request->after. */
int identity_handle_list(struct canisterd *d, const struct peer *peer,
			 const struct canister_request *request, struct canister_reply *ret);

#endif
