/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: the messages between canisterd and a helper working in a container's root. */
#ifndef CANISTER_LIB_IN_ROOT_MSG_H
#define CANISTER_LIB_IN_ROOT_MSG_H

#include <stddef.h>
#include <stdint.h>

/*
 * One message a datagram (SOCK_SEQPACKET): a head, then @size bytes of the
 * caller's payload.  The helper runs where the container's filesystems can
 * hold or fail it half way, so its messages are checked as any other input.
 */
struct in_root_msg_head {
	uint32_t tag;  /* the caller's: which item of its request the message answers */
	int32_t err;   /* 0, or a negative errno */
	uint32_t size; /* payload bytes after the head */
	uint32_t pad;
};
_Static_assert(sizeof(struct in_root_msg_head) == 16, "in_root_msg_head is 16 bytes");

/* The largest message: a head and a path. */
#define IN_ROOT_MSG_MAX (sizeof(struct in_root_msg_head) + 4096 + 64)

struct in_root_msg {
	uint32_t tag;
	int err;
	const void *payload; /* within the buffer decoded */
	size_t size;
};

/*
 * in_root_msg_encode() - @tag, @err and @size bytes of @payload into @buf
 * (@len bytes).  Returns the message's length, or -EMSGSIZE when it does
 * not fit (or exceeds IN_ROOT_MSG_MAX), -EINVAL for an @err that is no
 * negative errno (nor 0).
 */
long in_root_msg_encode(void *buf, size_t len, uint32_t tag, int err, const void *payload,
			size_t size);

/*
 * in_root_msg_decode() - the message in @buf (@len bytes, one datagram) into
 * @ret.  Errors, in the order checked:
 *   -EBADMSG  shorter than a head, a size that is not the rest, pad not 0
 *   -ERANGE   err is neither 0 nor a negative errno (-4095..-1)
 * @ret is written only on success.
 */
int in_root_msg_decode(const void *buf, size_t len, struct in_root_msg *ret);

/*
 * in_root_msg_fixed() - the payload of @msg as a struct of exactly @size
 * bytes, copied into @ret.  -EBADMSG when its size differs.
 */
int in_root_msg_fixed(const struct in_root_msg *msg, void *ret, size_t size);

/*
 * in_root_msg_string() - the payload of @msg as a string: the payload must
 * end with its only NUL.  Returns it (within the decoded buffer), or NULL.
 */
const char *in_root_msg_string(const struct in_root_msg *msg);

#endif
