/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the access capability's control requests (policy-load, policy-show). */
#ifndef CANISTERD_ACCESS_REQUESTS_H
#define CANISTERD_ACCESS_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * policy-load: the container's policy and mode from now on, parsed here
 * again (EINVAL with "policy:LINE: reason", E2BIG beyond the limits),
 * written under access_dir, then held: all or nothing.  Who may:
 * access/permit.h; the host's administrator asking for a container that
 * does not exist is answered ESRCH (anyone else EPERM: no probing for contids).
 */
int access_handle_load(struct canisterd *d, const struct peer *peer,
		       const struct canister_request *request, struct canister_reply *ret);

/*
 * policy-show: the container's own policy, or the effective one of its
 * chain (every level's that holds one, intersected: E2BIG when that needs
 * more rules or text than a policy may hold), with each level's mode and
 * loader.  Who may: as policy-load.
 */
int access_handle_show(struct canisterd *d, const struct peer *peer,
		       const struct canister_request *request, struct canister_reply *ret);

#endif
