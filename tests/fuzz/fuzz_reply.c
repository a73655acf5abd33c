// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_reply_decode() on arbitrary datagrams, and round trips. */
#include "lib/reply.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "invariant broken: %s (%s)\n", what, detail);
	abort();
}

/*
 * The first byte says which request the datagram answers: a letter for
 * readable seeds (s status, g get, S set, d delegate, l list, a audit-add,
 * r audit-remove, p integrity-policy, i integrity-read, q integrity-quote,
 * t integrity-tpm, k integrity-key-add, K integrity-key-remove, A
 * integrity-appraise, L policy-load, P policy-show, G grant, V revoke, X
 * grant-list), any other byte modulo
 * the number of ops.  In enum canister_op's order: a letter missing shifts
 * every later one onto another op's replies.
 */
static enum canister_op op_of(uint8_t byte)
{
	static const char letters[] = "sgSdlarpiqtkKALPGVX";
	_Static_assert(sizeof(letters) - 1 == CANISTER_OP_GRANT_LIST, "a letter per op");
	const char *at = byte ? strchr(letters, byte) : NULL;

	return (enum canister_op)(1 + (at ? at - letters : byte % (sizeof(letters) - 1)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct canister_reply reply, again, untouched;
	static char first[CANISTER_REPLY_MAX + 1], second[CANISTER_REPLY_MAX + 1];
	enum canister_op op;
	char err[256];
	int r, len;

	if (size < 1)
		return 0;
	op = op_of(data[0]);
	memset(&reply, 0xa5, sizeof(reply));
	memset(&untouched, 0xa5, sizeof(untouched));
	memset(err, 'x', sizeof(err));
	r = canister_reply_decode((const char *)data + 1, size - 1, op, &reply, err, sizeof(err));
	if (r < 0) {
		if (r != -EPROTO && r != -EMSGSIZE && r != -ENOMEM)
			broken("undocumented errno", err);
		/* The client shows this text to its user: it must exist and end. */
		if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
			broken("no reason given", "");
		if (memcmp(&reply, &untouched, sizeof(reply)) != 0)
			broken("output written on error", err);
		return 0;
	}
	if (reply.op != op)
		broken("the reply answers another op", "");
	if (!reply.ok && (reply.error.errnum <= 0 ||
			  !memchr(reply.error.message, '\0', sizeof(reply.error.message))))
		broken("a refusal without errno or words", "");
	if (reply.ok && op == CANISTER_OP_STATUS &&
	    reply.status.identity.privileged.shown_count > CANISTER_STATUS_PRIVILEGED_SHOWN)
		broken("more privileged processes than shown", "");

	/* What was accepted is what canisterd could have sent: it encodes, and to one text. */
	len = canister_reply_encode(&reply, first, sizeof(first));
	if (len <= 0)
		broken("accepted reply does not encode", "");
	if (len > CANISTER_REPLY_MAX)
		broken("encoding beyond the limit", "");
	memset(&again, 0x5a, sizeof(again));
	if (canister_reply_decode(first, (size_t)len, op, &again, err, sizeof(err)) != 0)
		broken("own encoding refused", err);
	if (canister_reply_encode(&again, second, sizeof(second)) != len ||
	    memcmp(first, second, (size_t)len) != 0)
		broken("encode then decode changes the reply", first);
	return 0;
}
