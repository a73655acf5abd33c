// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_request_decode() on arbitrary datagrams, and round trips. */
#include "lib/protocol.h"

#include <canister/abi.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *err)
{
	fprintf(stderr, "invariant broken: %s (err \"%s\")\n", what, err);
	abort();
}

static bool same_request(const struct canister_request *a, const struct canister_request *b)
{
	return a->op == b->op && a->pid == b->pid && a->allocate == b->allocate &&
	       a->contid == b->contid;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_request request, again;
	char err[256], buf[CANISTER_REQUEST_MAX];
	int r, len;

	memset(&request, 0xa5, sizeof(request));
	memset(err, 'x', sizeof(err));
	r = canister_request_decode((const char *)data, size, &request, err, sizeof(err));
	if (r < 0) {
		struct canister_request untouched;

		memset(&untouched, 0xa5, sizeof(untouched));
		if (r != -EINVAL && r != -EMSGSIZE && r != -EPROTO && r != -ENOMEM)
			broken("undocumented errno", err);
		/* The daemon sends this text back; it must exist and end. */
		if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
			broken("no reason given", "");
		if (memcmp(&request, &untouched, sizeof(request)) != 0)
			broken("output written on error", err);
		return 0;
	}

	/* What the daemon acts on must already be in range. */
	switch (request.op) {
	case CANISTER_OP_STATUS:
		break;
	case CANISTER_OP_GET:
	case CANISTER_OP_SET:
		if (request.pid < 1)
			broken("pid out of range", "");
		if (request.op == CANISTER_OP_SET && !request.allocate &&
		    request.contid == CANISTER_CONTID_UNSET)
			broken("contid is the unset value", "");
		break;
	default:
		broken("unknown op accepted", "");
	}

	len = canister_request_encode(&request, buf, sizeof(buf));
	if (len <= 0)
		broken("accepted request does not encode", "");
	memset(&again, 0x5a, sizeof(again));
	if (canister_request_decode(buf, len, &again, err, sizeof(err)) != 0)
		broken("own encoding refused", err);
	if (!same_request(&request, &again))
		broken("encode then decode changes the request", buf);
	return 0;
}
