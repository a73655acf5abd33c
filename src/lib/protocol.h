/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: control-socket messages, one JSON object per SOCK_SEQPACKET datagram. */
#ifndef CANISTER_LIB_PROTOCOL_H
#define CANISTER_LIB_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <canister/canister.h>

#include "lib/tpm_choice.h"

/*
 * Larger datagrams are refused whole.  Every reply is bounded by its struct
 * (lib/reply.h): the largest status encodes to about 105 KB with printable
 * strings and 450 KB if every string were control characters (each escaped
 * as \u00XX), the largest list page to 137 KB, whatever canisterd tracks;
 * tests/unit/test_reply.c checks both against this limit.  Beyond the
 * default socket buffer (about 208 KiB), so canisterd raises its own.
 */
#define CANISTER_REQUEST_MAX 4096
/*
 * integrity-policy alone may be larger: it carries a whole policy, up to
 * CANISTER_IMA_POLICY_RULES_MAX rules.  Only that op is read up to this size;
 * any other larger than CANISTER_REQUEST_MAX is refused as before.
 */
#define CANISTER_REQUEST_LARGE_MAX (512 * 1024)
/*
 * The policy text of integrity-policy: the CLI sends it as IMA prints it (no
 * comments), at most about 200 bytes a rule, so 1024 rules fit.
 */
#define CANISTER_INTEGRITY_POLICY_TEXT_MAX (240 * 1024)
#define CANISTER_REPLY_MAX (512 * 1024)
#define CANISTER_PROTOCOL_VERSION 1

/*
 * Each op and the members it takes besides "op" and "version":
 *   status
 *   get       pid
 *   set       pid, contid (absent: the daemon picks one), name (optional)
 *   delegate  pid
 *   list      after (optional: only containers with a greater contid)
 *   audit-add     contid, log, rules/backlog/format/socket (optional)
 *   audit-remove  contid
 *   integrity-policy  contid, policy (the text, as IMA prints a policy)
 *   integrity-tpm     contid, tpm ("none" or "swtpm"): the container's own TPM
 *                     choice, before its first exec
 *   integrity-read    contid, file ("ascii", "binary", "pcrs", "policy" or "tpm"),
 *                     bank ("sha1" or "sha256"; optional, sha1), offset
 *                     (optional, 0): one page of one of the container's files
 *   integrity-quote   contid, nonce (1..64 bytes in lower-case hex): a quote
 *                     of the container's TPM's PCR 10 (integrity_tpm = swtpm)
 */
enum canister_op {
	CANISTER_OP_STATUS = 1,
	CANISTER_OP_GET,
	CANISTER_OP_SET,
	CANISTER_OP_DELEGATE,
	CANISTER_OP_LIST,
	CANISTER_OP_AUDIT_ADD,
	CANISTER_OP_AUDIT_REMOVE,
	CANISTER_OP_INTEGRITY_POLICY,
	CANISTER_OP_INTEGRITY_READ,
	CANISTER_OP_INTEGRITY_QUOTE,
	CANISTER_OP_INTEGRITY_TPM,
};

/* integrity-quote: TPM2_Quote's qualifyingData is a TPM2B_DATA; 64 bytes fit every TPM. */
#define CANISTER_INTEGRITY_NONCE_MAX 64

/* integrity-read: which of a container's measurement files. */
enum canister_integrity_file {
	CANISTER_INTEGRITY_ASCII = 0, /* ascii_runtime_measurements */
	CANISTER_INTEGRITY_BINARY,    /* binary_runtime_measurements */
	CANISTER_INTEGRITY_PCRS,      /* the 24 lines evmctl ima_measurement --pcrs reads */
	CANISTER_INTEGRITY_POLICY,    /* the policy as IMA prints it */
	CANISTER_INTEGRITY_TPM,	      /* the container's TPM choice, "none" or "swtpm" */
};

/* INTEGRITY_POLICY, INTEGRITY_READ, INTEGRITY_QUOTE and INTEGRITY_TPM, besides the contid. */
struct canister_integrity_request {
	enum canister_integrity_file file; /* READ */
	bool sha256;			   /* READ: the sha256 bank's file, not the sha1 one */
	uint64_t offset;		   /* READ: the page starts here */
	size_t policy_len;		   /* POLICY: strlen(policy) */
	uint8_t nonce[CANISTER_INTEGRITY_NONCE_MAX]; /* QUOTE */
	size_t nonce_len;			     /* QUOTE: 1..CANISTER_INTEGRITY_NONCE_MAX */
	enum canister_tpm_choice tpm;		     /* TPM */
	char policy[CANISTER_INTEGRITY_POLICY_TEXT_MAX + 1];
};

/* Paths in audit-add: absolute, at most this many bytes. */
#define CANISTER_REQUEST_PATH_MAX 255

/* AUDIT_ADD: an audit sink as the client asks for it. */
struct canister_sink_request {
	char log[CANISTER_REQUEST_PATH_MAX + 1];
	char rules[CANISTER_REQUEST_PATH_MAX + 1]; /* "" none */
	char socket[108];			   /* "" none; fits sockaddr_un */
	unsigned int backlog;			   /* 0: the daemon's default */
	bool json;				   /* format "json" rather than "text" */
};

/*
 * Contids travel as decimal strings: JSON readers disagree about integers above
 * 2^53, and a contid is a full u64.
 */
struct canister_request {
	enum canister_op op;
	pid_t pid;	 /* GET, SET, DELEGATE */
	bool allocate;	 /* SET: the daemon picks a free contid */
	uint64_t contid; /* SET when !allocate; AUDIT_ADD, AUDIT_REMOVE, INTEGRITY_* */
	bool has_name;	 /* SET: @name was given (canister_name_check() passed) */
	char name[CANISTER_NAME_MAX + 1];
	bool has_after; /* LIST: only containers whose contid is above @after */
	uint64_t after;
	struct canister_sink_request sink; /* AUDIT_ADD (with @contid) */
	struct canister_integrity_request integrity;
};

/*
 * canister_request_decode() - validate and decode one request datagram.
 *
 * Everything is checked before anything is used: the datagram must be one JSON
 * object with a known "op", exactly the members that op takes, each of the
 * right type and range; a "name" must pass canister_name_check().  Members an
 * op does not take are refused, not ignored: a client's typo must not pass for
 * a default.  Fields the op does not use are zero.  Returns 0, or -EINVAL /
 * -EMSGSIZE / -EPROTO with the reason in @err (the daemon sends it back to the
 * client).
 */
int canister_request_decode(const char *buf, size_t len, struct canister_request *ret_request,
			    char *err, size_t err_len);

/*
 * canister_request_encode() - the datagram for @request; returns its length,
 * -EMSGSIZE when @len is too small, or -EINVAL for an unknown op or a name
 * that canister_request_decode() would refuse.
 */
int canister_request_encode(const struct canister_request *request, char *buf, size_t len);

const char *canister_op_name(enum canister_op op);

/* The word integrity-read uses for @file ("ascii", ...), or NULL. */
const char *canister_integrity_file_name(enum canister_integrity_file file);

#endif
