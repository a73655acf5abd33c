// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: answers one decoded control request from one identified peer. */
#include "core/requests.h"

#include "core/capability.h"
#include "core/reply.h"
#include "core/status.h"
#include "lib/errnames.h"

#include <errno.h>

/* The core answers status; every other op is a capability's (capability.h: requests). */
static capability_request_fn handler_of(enum canister_op op)
{
	const struct capability *cap;

	if (op == CANISTER_OP_STATUS)
		return handle_status;
	for (size_t i = 0; (cap = canisterd_capabilities[i]) != NULL; i++)
		for (const struct capability_request *r = cap->requests; r && r->handle; r++)
			if (r->op == op)
				return r->handle;
	return NULL;
}

void request_handle(struct canisterd *d, const struct peer *peer,
		    const struct canister_request *request, struct canister_reply *ret)
{
	int r;

	capability_request_fn handle = handler_of(request->op);

	/*
	 * The caller was pinned at accept; once it has exited, its pid may be
	 * another process's, and nothing read about that pid is the caller's.
	 * (Handlers that read /proc check again once they have read it.)
	 */
	if (!peer_alive(peer))
		r = reply_refuse(ret, EPERM,
				 "the caller (pid %d) has exited; its requests are not served "
				 "for another process that may have its pid now",
				 (int)peer->tgid);
	else if (handle)
		r = handle(d, peer, request, ret);
	else
		r = reply_refuse(ret, EINVAL, "unknown op");
	ret->op = request->op;
	ret->ok = r == 0;
	if (r < 0) {
		/* The wire carries errno names; one the protocol does not know becomes EIO. */
		ret->error.errnum = canister_errno_name(-r) ? -r : EIO;
	}
}
