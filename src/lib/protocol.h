/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: control-socket messages, one JSON object per SOCK_SEQPACKET datagram. */
#ifndef CANISTER_LIB_PROTOCOL_H
#define CANISTER_LIB_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Larger datagrams are refused whole; a reply may be larger (status grows with features). */
#define CANISTER_REQUEST_MAX 4096
#define CANISTER_REPLY_MAX (64 * 1024)
#define CANISTER_PROTOCOL_VERSION 1

enum canister_op {
	CANISTER_OP_STATUS = 1,
	CANISTER_OP_GET,
	CANISTER_OP_SET,
};

/*
 * Contids travel as decimal strings: JSON readers disagree about integers above
 * 2^53, and a contid is a full u64.
 */
struct canister_request {
	enum canister_op op;
	pid_t pid;	 /* GET, SET */
	bool allocate;	 /* SET: the daemon picks a free contid */
	uint64_t contid; /* SET when !allocate */
};

/*
 * canister_request_decode() - validate and decode one request datagram.
 *
 * Everything is checked before anything is used: the datagram must be one JSON
 * object with a known "op", exactly the members that op takes, each of the
 * right type and range.  Returns 0, or -EINVAL / -EMSGSIZE / -EPROTO with the
 * reason in @err (the daemon sends it back to the client).
 */
int canister_request_decode(const char *buf, size_t len, struct canister_request *ret_request,
			    char *err, size_t err_len);

/*
 * canister_request_encode() - the datagram for @request; returns its length,
 * -EMSGSIZE when @len is too small, or -EINVAL for an unknown op.
 */
int canister_request_encode(const struct canister_request *request, char *buf, size_t len);

const char *canister_op_name(enum canister_op op);

#endif
