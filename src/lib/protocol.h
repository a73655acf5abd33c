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
 * integrity-policy, integrity-key-add and policy-load may be larger: they
 * carry a whole policy (up to CANISTER_IMA_POLICY_RULES_MAX rules, or
 * CANISTER_ACCESS_POLICY_TEXT_MAX bytes) or a certificate (in hex).
 * Only those ops are read up to this size (canister_op_large()); any other
 * larger than CANISTER_REQUEST_MAX is refused as before.
 */
#define CANISTER_REQUEST_LARGE_MAX (512 * 1024)
/*
 * The policy text of integrity-policy: the CLI sends it as IMA prints it (no
 * comments), at most about 200 bytes a rule, so 1024 rules fit.
 */
#define CANISTER_INTEGRITY_POLICY_TEXT_MAX (240 * 1024)
/*
 * The certificate of integrity-key-add, as the file holds it (DER or PEM):
 * the CLI reads and sends it, canisterd never opens a path a caller names.
 * Equal to CANISTER_IMA_KEY_FILE_MAX (integrity/ima_keys.h).
 */
#define CANISTER_INTEGRITY_CERTIFICATE_MAX (64 * 1024)
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
 *   integrity-key-add     contid, certificate (the file's bytes in lower-case
 *                         hex, 1..CANISTER_INTEGRITY_CERTIFICATE_MAX bytes)
 *   integrity-key-remove  contid, keyid (8 lower-case hex digits)
 *   integrity-appraise    contid, mode ("off", "log" or "enforce"; optional),
 *                         host_keys (boolean; optional): with neither, the
 *                         container's appraisal is read, not changed
 *   policy-load   contid, policy (an access policy's text, as
 *                 canister_access_policy_print() writes it), mode ("enforce" or
 *                 "complain"; optional, enforce)
 *   policy-show   contid, effective (boolean; optional, false): the
 *                 container's own access policy, or the one its chain decides
 *   grant, revoke contid, right ("host-admin" or "credential"), as_contid
 *                 and as_uid (M and V of --as M:V; credential only), uid
 *                 (credential only, optional: any uid): a cross-container grant
 *                 to the container, or its end
 *   grant-list    contid: the grants the container holds
 *   model         contid, action (learn, seal, enforce: the container's domain
 *                 moves on; state, measurement, trajectory, forensics, counts,
 *                 events, untrusted, export: one page of that view's text),
 *                 offset (optional, 0), init (optional, learn only: the
 *                 pid of the container's runtime's init): docs/model.md
 *   model-load    contid, model (a model file's text) or model_memfd (true:
 *                 the text is the sealed memfd the datagram passes, for a
 *                 file longer than CANISTER_MODEL_TEXT_MAX), enforce
 *                 (boolean; optional, false), init (optional): the
 *                 container's model, sealed or enforced
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
	CANISTER_OP_INTEGRITY_KEY_ADD,
	CANISTER_OP_INTEGRITY_KEY_REMOVE,
	CANISTER_OP_INTEGRITY_APPRAISE,
	CANISTER_OP_POLICY_LOAD,
	CANISTER_OP_POLICY_SHOW,
	CANISTER_OP_GRANT,
	CANISTER_OP_REVOKE,
	CANISTER_OP_GRANT_LIST,
	CANISTER_OP_MODEL,
	CANISTER_OP_MODEL_LOAD,
};

/* Whether @op may be larger than CANISTER_REQUEST_MAX (up to CANISTER_REQUEST_LARGE_MAX). */
bool canister_op_large(enum canister_op op);

/* Whether @op is one of the integrity-* ops (they all name a container by "contid"). */
bool canister_op_integrity(enum canister_op op);

/* Whether @op is policy-load or policy-show (a container's access policy, by "contid"). */
bool canister_op_policy(enum canister_op op);

/*
 * An access policy's text on the wire (policy-load, policy-show): canonical,
 * without comments.  Every byte escaped in JSON at most doubles it, so a
 * request or a reply with one fits CANISTER_REQUEST_LARGE_MAX and
 * CANISTER_REPLY_MAX; a policy file that prints longer is refused by the
 * client that reads it.
 */
#define CANISTER_ACCESS_POLICY_TEXT_MAX (200 * 1024)

/*
 * A container's access mode (docs/access.md): enforce (what the policy
 * refuses is denied where something enforces it) or complain (it is to be
 * recorded, not denied).
 */
enum canister_access_mode {
	CANISTER_ACCESS_ENFORCE = 0,
	CANISTER_ACCESS_COMPLAIN,
};

/* "enforce", "complain", or NULL for a value that is neither. */
const char *canister_access_mode_name(enum canister_access_mode mode);

/* The mode @word names; -EINVAL for anything but "enforce" or "complain". */
int canister_access_mode_parse(const char *word, enum canister_access_mode *ret_mode);

/* The policy-* ops' members, besides the contid. */
struct canister_policy_request {
	enum canister_access_mode mode; /* LOAD */
	bool effective;			/* SHOW: the chain's policy, not the container's own */
	size_t policy_len;		/* LOAD: strlen(policy) */
	char policy[CANISTER_ACCESS_POLICY_TEXT_MAX + 1]; /* LOAD */
};

/* Whether @op is model or model-load (a container's behaviour model, by "contid"). */
bool canister_op_model(enum canister_op op);

/*
 * A model file's text in the datagram (model-load): about 3,000 coefficients
 * (77 bytes a line).  No larger than the integrity policy's text, so that a
 * request is no larger than it was (callers keep requests in fixed arrays
 * and on threads' stacks); a longer model file goes as a sealed memfd
 * passed with the datagram (SCM_RIGHTS, "model_memfd").
 */
#define CANISTER_MODEL_TEXT_MAX (232 * 1024)
/*
 * The longest model file, in a sealed memfd: CANISTER_MODEL_COEFFICIENTS_MAX
 * (262,144) coefficients of 77 bytes, CANISTER_MODEL_PSEUDONYMS_MAX (1024)
 * pseudonyms and the header lines, with room for comments and blank lines.
 */
#define CANISTER_MODEL_FILE_MAX (24 * 1024 * 1024)

/* What the model op does or shows (docs/model.md, "Commands"). */
enum canister_model_action {
	CANISTER_MODEL_ACT_LEARN = 0,
	CANISTER_MODEL_ACT_SEAL,
	CANISTER_MODEL_ACT_ENFORCE,
	CANISTER_MODEL_ACT_STATE,
	CANISTER_MODEL_ACT_MEASUREMENT,
	CANISTER_MODEL_ACT_TRAJECTORY,
	CANISTER_MODEL_ACT_FORENSICS,
	CANISTER_MODEL_ACT_COUNTS,
	CANISTER_MODEL_ACT_EVENTS,
	CANISTER_MODEL_ACT_UNTRUSTED,
	CANISTER_MODEL_ACT_EXPORT,
	CANISTER_MODEL_ACTIONS,
};

/* "learn", "seal", ..., or NULL for a value that is none of them. */
const char *canister_model_action_name(enum canister_model_action action);

/* The action @word names; -EINVAL for none. */
int canister_model_action_parse(const char *word, enum canister_model_action *ret_action);

/* The model ops' members, besides the contid. */
struct canister_model_request {
	enum canister_model_action action; /* MODEL */
	uint64_t offset;		   /* MODEL: the page starts here */
	bool enforce;			   /* MODEL_LOAD: enforced, not only sealed */
	uint32_t init; /* MODEL (learn), MODEL_LOAD: the runtime's init pid (docs/model.md); 0: none
			*/
	size_t text_len;			/* MODEL_LOAD: strlen(text) */
	char text[CANISTER_MODEL_TEXT_MAX + 1]; /* MODEL_LOAD */
	/* MODEL_LOAD: the text is in the memfd passed with the datagram, not in text. */
	bool memfd;
	/*
	 * Not on the wire: canisterd's control socket sets it to the descriptor
	 * the datagram passed, or -1 (the decoder leaves it 0); the client sets it
	 * to the memfd it passes.
	 */
	int fd;
};

/* The largest pid "init" names (the kernel's PID_MAX_LIMIT). */
#define CANISTER_MODEL_INIT_MAX 4194304

/* The largest uid a grant names ((uid_t)-1 is no uid). */
#define CANISTER_GRANT_UID_MAX 4294967294U

/* Whether @op is grant, revoke or grant-list (a container's cross-container grants). */
bool canister_op_grant(enum canister_op op);

/* grant, revoke: one grant (grant-list takes none). */
struct canister_grant_request {
	bool credential; /* else host-admin */
	bool has_uid;	 /* credential: only the holder's processes running as @uid */
	uint32_t uid;
	uint64_t as_contid; /* credential: the other container, M of M:V */
	uint32_t as_uid;    /* credential: V */
};

/*
 * A container's appraisal mode (docs/integrity.md, "Appraisal"): off, log
 * (what would be denied is recorded), enforce (denied).  Ordered: a nested
 * container's effective mode is the strictest of its chain.
 */
enum canister_appraise_mode {
	CANISTER_APPRAISE_OFF = 0,
	CANISTER_APPRAISE_LOG,
	CANISTER_APPRAISE_ENFORCE,
};

/* "off", "log", "enforce", or NULL for a value that is none of them. */
const char *canister_appraise_mode_name(enum canister_appraise_mode mode);

/* The mode @word names; -EINVAL for anything but "off", "log" or "enforce". */
int canister_appraise_mode_parse(const char *word, enum canister_appraise_mode *ret_mode);

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

/* The integrity-* ops' members, besides the contid. */
struct canister_integrity_request {
	enum canister_integrity_file file; /* READ */
	bool sha256;			   /* READ: the sha256 bank's file, not the sha1 one */
	uint64_t offset;		   /* READ: the page starts here */
	size_t policy_len;		   /* POLICY: strlen(policy) */
	uint8_t nonce[CANISTER_INTEGRITY_NONCE_MAX]; /* QUOTE */
	size_t nonce_len;			     /* QUOTE: 1..CANISTER_INTEGRITY_NONCE_MAX */
	enum canister_tpm_choice tpm;		     /* TPM */
	/* One op's text or bytes: a request is large already (callers keep it off small stacks). */
	union {
		char policy[CANISTER_INTEGRITY_POLICY_TEXT_MAX + 1];	 /* POLICY */
		uint8_t certificate[CANISTER_INTEGRITY_CERTIFICATE_MAX]; /* KEY_ADD */
	};
	size_t certificate_len;		  /* KEY_ADD: 1.. */
	uint32_t keyid;			  /* KEY_REMOVE */
	bool has_mode;			  /* APPRAISE */
	enum canister_appraise_mode mode; /* APPRAISE, when has_mode */
	bool has_host_keys;		  /* APPRAISE */
	bool host_keys; /* APPRAISE, when has_host_keys: the host's keys count too */
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
	uint64_t contid; /* SET when !allocate; AUDIT_*, INTEGRITY_*, POLICY_*, MODEL_* */
	bool has_name;	 /* SET: @name was given (canister_name_check() passed) */
	char name[CANISTER_NAME_MAX + 1];
	bool has_after; /* LIST: only containers whose contid is above @after */
	uint64_t after;
	struct canister_sink_request sink; /* AUDIT_ADD (with @contid) */
	/* One op's members: a request is as large as its largest text, not their sum. */
	union {
		struct canister_integrity_request integrity; /* INTEGRITY_* */
		struct canister_policy_request policy;	     /* POLICY_* */
		struct canister_grant_request grant;	     /* GRANT, REVOKE */
		struct canister_model_request model;	     /* MODEL, MODEL_LOAD */
	};
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
