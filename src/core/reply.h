/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: how a request handler refuses (the reply's error, and the errno it returns). */
#ifndef CANISTERD_REPLY_H
#define CANISTERD_REPLY_H

#include "lib/reply.h"

/*
 * A handler has the shape
 *
 *	int handle_x(struct canisterd *d, const struct peer *peer,
 *		     const struct canister_request *req, struct canister_reply *ret);
 *
 * and returns 0 with the op's member of *ret filled, or a negative errno with
 * the reason in ret->error.message (reply_refuse() does both).  The caller
 * sets ret->op and ret->ok, and turns an errno the protocol cannot name into
 * EIO.  JSON is written only when the control socket sends the reply.
 */

/* reply_refuse() - write the reason to @ret's error; returns -@errnum. */
int reply_refuse(struct canister_reply *ret, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
