// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: a message from a helper working in a container's root. */
#include "lib/in_root_msg.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char again[IN_ROOT_MSG_MAX];
	struct in_root_msg msg;
	const char *s;
	uint64_t fixed[2];
	long len;
	int r = in_root_msg_decode(data, size, &msg);

	if (r == -EBADMSG || r == -ERANGE)
		return 0;
	/* Accepted: the payload lies within the datagram, the errno is one, and it encodes back. */
	if (r != 0 || (const uint8_t *)msg.payload + msg.size != data + size || msg.err > 0 ||
	    msg.err < -4095)
		abort();
	r = in_root_msg_fixed(&msg, fixed, sizeof(fixed));
	if (r != (msg.size == sizeof(fixed) ? 0 : -EBADMSG))
		abort();
	s = in_root_msg_string(&msg);
	if (s && strlen(s) + 1 != msg.size)
		abort();
	len = in_root_msg_encode(again, sizeof(again), msg.tag, msg.err, msg.payload, msg.size);
	if (len >= 0 && ((size_t)len != size || memcmp(again, data, size)))
		abort();
	if (len < 0 && (len != -EMSGSIZE || size <= IN_ROOT_MSG_MAX))
		abort();
	return 0;
}
