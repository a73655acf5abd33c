// SPDX-License-Identifier: GPL-2.0-only
/* canister: the messages between canisterd and a helper working in a container's root. */
#include "lib/in_root_msg.h"

#include <errno.h>
#include <string.h>

long in_root_msg_encode(void *buf, size_t len, uint32_t tag, int err, const void *payload,
			size_t size)
{
	struct in_root_msg_head head = { .tag = tag, .err = err, .size = (uint32_t)size };

	if (err > 0 || err < -4095)
		return -EINVAL;
	if (size > IN_ROOT_MSG_MAX - sizeof(head) || sizeof(head) + size > len)
		return -EMSGSIZE;
	/* memcpy, not stores: the helper's buffers are bytes of any alignment. */
	memcpy(buf, &head, sizeof(head));
	if (size)
		memcpy((char *)buf + sizeof(head), payload, size);
	return (long)(sizeof(head) + size);
}

int in_root_msg_decode(const void *buf, size_t len, struct in_root_msg *ret)
{
	struct in_root_msg_head head;

	if (len < sizeof(head))
		return -EBADMSG;
	memcpy(&head, buf, sizeof(head));
	if (head.size != len - sizeof(head) || head.pad)
		return -EBADMSG;
	if (head.err > 0 || head.err < -4095)
		return -ERANGE;
	ret->tag = head.tag;
	ret->err = head.err;
	ret->payload = (const char *)buf + sizeof(head);
	ret->size = head.size;
	return 0;
}

int in_root_msg_fixed(const struct in_root_msg *msg, void *ret, size_t size)
{
	if (msg->size != size)
		return -EBADMSG;
	memcpy(ret, msg->payload, size);
	return 0;
}

const char *in_root_msg_string(const struct in_root_msg *msg)
{
	const char *s = msg->payload;

	if (!msg->size || memchr(s, '\0', msg->size) != s + msg->size - 1)
		return NULL;
	return s;
}
