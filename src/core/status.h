/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the status: its core section (mode, features, daemon) and the assembly of all. */
#ifndef CANISTERD_STATUS_H
#define CANISTERD_STATUS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"
#include "lib/status.h"

/* core_status() - fill @ret with the core's part; add its warnings to @warnings. */
void core_status(struct canisterd *d, struct canister_core_status *ret,
		 struct canister_status_warnings *warnings);

/*
 * status_fill() - the whole status: the core's section, then each open
 * capability's (its table entry's status: identity_status(), audit_status()),
 * each beside the code it describes.  Bounded in size whatever the daemon tracks; reads no /proc.
 */
void status_fill(struct canisterd *d, struct canister_status *ret);

/* handle_status() - the "status" request (see core/reply.h); always 0. */
int handle_status(struct canisterd *d, const struct peer *peer,
		  const struct canister_request *request, struct canister_reply *ret);

#endif
