/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: control-socket replies as structs, and their one JSON form on the wire. */
#ifndef CANISTER_LIB_REPLY_H
#define CANISTER_LIB_REPLY_H

#include "lib/protocol.h"
#include "lib/status.h"

#include <canister/canister.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A reply is {"ok": true, MEMBERS...} with the members of the op it answers,
 * or {"ok": false, "errno": NAME, "error": TEXT} for any op.  The op is not on
 * the wire: the client knows what it asked.  Contids are decimal strings.
 *
 *   get           pid, contid ("unset" outside containers), chain, name (when
 *                 named), delegated
 *   set           pid, contid, joined
 *   delegate      pid, delegation
 *   list          containers [{contid, chain, name (when named), processes,
 *                 first_pid, owner, registered}], more
 *   audit-add, audit-remove, integrity-policy   nothing more
 *   integrity-read  size (the whole file's), offset, data (the page, in hex)
 *   integrity-quote quote, signature (hex: TPMS_ATTEST and TPMT_SIGNATURE as
 *                 the TPM marshals them), ak (PEM), pcr10_sha1, pcr10_sha256,
 *                 pcr11_sha1, pcr11_sha256 (hex), pcr_update_counter, counter_at_start,
 *                 extends, model_extends
 *   integrity-key-add, integrity-key-remove, integrity-appraise
 *                 mode, host_keys, generation, refused (why the container's
 *                 stored keys did not reload, or ""), keys [{keyid, keyid_from
 *                 ("skid" or "public-key"), algorithm, subject, origin
 *                 ("container" or the host's certificate file)}]; key-add
 *                 also keyid (the key added)
 *   status        mode, mode_reason, daemon, features, protection, counters,
 *                 privileged_scan, kernel_audit, sinks, plugins, access,
 *                 warnings
 *   policy-load   nothing more
 *   policy-show   effective, policy (the canonical text; "" when no level
 *                 holds one), levels [{contid, mode, loaded_by, loaded}]
 *                 (the container itself first, then each container it nests
 *                 in that holds a policy; only itself without "effective"),
 *                 refused (why its stored policy did not reload, or "")
 *   grant, revoke, grant-list  grants [{right ("host-admin" or "credential"),
 *                 uid (-1: any), as_contid, as_uid, granted}]: what the
 *                 container holds afterwards
 *   model, model-load  mode ("learn", "seal" or "enforce": the domain's, after
 *                 the op), size (the whole view's bytes), offset, text (the
 *                 page; "" for learn, seal, enforce and model-load)
 */

/* One list reply holds at most this many containers; the client asks again with "after". */
#define CANISTER_LIST_PAGE_MAX 200
/* The daemon's words when it refuses; longer ones are cut. */
#define CANISTER_ERROR_TEXT_MAX 1023

struct canister_error_reply {
	int errnum; /* positive, one that canister_errno_name() knows; EPROTO for a name it does not
		     */
	char message[CANISTER_ERROR_TEXT_MAX + 1];
};

struct canister_get_reply {
	pid_t pid;
	struct canister_info info; /* depth 0: no container (contid "unset") */
};

struct canister_set_reply {
	pid_t pid;
	uint64_t contid;
	bool joined; /* @pid joined a live container of the caller's instead of starting one */
};

struct canister_delegate_reply {
	pid_t pid;
	uint32_t delegation; /* 1..UINT32_MAX; what `canister ps` shows as an owner */
};

struct canister_list_reply {
	struct canister_container_entry containers[CANISTER_LIST_PAGE_MAX]; /* ascending contid */
	size_t count;
	bool more; /* more containers above the last one: ask again with "after" */
};

/*
 * One integrity-read page at most: in hex, with the rest of the reply, well
 * within CANISTER_REPLY_MAX.  The client asks again from offset + len.
 */
#define CANISTER_INTEGRITY_PAGE_MAX (128 * 1024)

struct canister_integrity_read_reply {
	uint64_t size;	 /* the whole file's, when canisterd read this page */
	uint64_t offset; /* where the page starts; offset + len <= size */
	size_t len;
	uint8_t data[CANISTER_INTEGRITY_PAGE_MAX];
};

#define CANISTER_QUOTE_MSG_MAX 1024
#define CANISTER_QUOTE_SIG_MAX 512
#define CANISTER_QUOTE_AK_MAX 1023

/* A quote of a container's TPM: PCR 10 and PCR 11 (its model's) in sha1 and sha256. */
struct canister_integrity_quote_reply {
	uint8_t quote[CANISTER_QUOTE_MSG_MAX]; /* TPMS_ATTEST, marshalled: tpm2_checkquote -m */
	size_t quote_len;
	uint8_t signature[CANISTER_QUOTE_SIG_MAX]; /* TPMT_SIGNATURE, marshalled: -s */
	size_t signature_len;
	char ak[CANISTER_QUOTE_AK_MAX + 1]; /* the attestation key, PEM: -u */
	uint8_t pcr10_sha1[20];		    /* PCR 10 read just before the quote */
	uint8_t pcr10_sha256[32];
	uint8_t pcr11_sha1[20];	     /* PCR 11, the model's, sha1 bank (docs/model.md) */
	uint8_t pcr11_sha256[32];    /* PCR 11, the model's measurement, read with PCR 10 */
	uint64_t pcr_update_counter; /* the TPM's, at that read */
	uint64_t counter_at_start;   /* the same when canisterd connected to it */
	uint64_t extends;	     /* TPM2_PCR_Extend calls canisterd made to it (PCR 10) */
	uint64_t model_extends;	     /* and of PCR 11 */
};

/* A container's own keys and the host's it may count: CANISTER_IMA_KEYRING_MAX each. */
#define CANISTER_APPRAISAL_KEYS_MAX 128
/*
 * A subject or an origin at most; an algorithm ("RSA 4096", "ECDSA P-384")
 * at most CANISTER_APPRAISAL_ALGORITHM_MAX: so that a full listing of
 * control characters (each \u00XX on the wire) fits CANISTER_REPLY_MAX.
 */
#define CANISTER_APPRAISAL_TEXT_MAX 255
#define CANISTER_APPRAISAL_ALGORITHM_MAX 31

/* One key of a container's appraisal keyring. */
struct canister_appraisal_key {
	uint32_t keyid;	      /* as signatures v2 name it */
	bool keyid_from_skid; /* the subject key identifier's (else sha1 of the public key) */
	char algorithm[CANISTER_APPRAISAL_ALGORITHM_MAX + 1]; /* "RSA 2048", "ECDSA P-256" */
	char subject[CANISTER_APPRAISAL_TEXT_MAX + 1];
	char origin[CANISTER_APPRAISAL_TEXT_MAX + 1]; /* "container", or the host's file */
};

/* A container's appraisal as canisterd holds it now. */
struct canister_appraisal_reply {
	enum canister_appraise_mode mode; /* its own; its ancestors' may bind it more */
	bool host_keys;			  /* the host's keys count for it */
	uint64_t generation;		  /* moves on every change of any container's appraisal */
	char refused[CANISTER_ERROR_TEXT_MAX + 1]; /* "": its stored keys and settings reloaded */
	uint32_t added_keyid;			   /* integrity-key-add: the key it added */
	struct canister_appraisal_key keys[CANISTER_APPRAISAL_KEYS_MAX]; /* own keys first */
	size_t key_count;
};

/* One level of a policy-show: a container that holds a policy. */
struct canister_policy_level {
	uint64_t contid;
	enum canister_access_mode mode;
	uint32_t loaded_by; /* 0: the host's administrator; else the orchestrator's delegation */
	int64_t loaded;	    /* when, in seconds since the epoch */
	bool from_default;  /* it brought none: canister.conf's access_policy judges it */
};

struct canister_policy_show_reply {
	bool effective; /* @policy is the chain's, intersected (else the container's own) */
	size_t policy_len;
	char policy[CANISTER_ACCESS_POLICY_TEXT_MAX +
		    1]; /* canonical; "" when no level holds one */
	struct canister_policy_level levels[CANISTER_NEST_LIMIT_MAX]; /* innermost first */
	unsigned int level_count;
	char refused[CANISTER_ERROR_TEXT_MAX + 1]; /* "": its stored policy reloaded (or none) */
	char default_path[CANISTER_ERROR_TEXT_MAX + 1]; /* access_policy, when a level takes it */
};

/* The grants one container holds at most (canisterd's limit for all of them is larger). */
#define CANISTER_GRANTS_LIST_MAX 256

/* One grant a container holds (grant-list). */
struct canister_grant_entry {
	bool credential; /* else host-admin; the members below are a credential's */
	bool has_uid;	 /* else any uid */
	uint32_t uid;
	uint64_t as_contid;
	uint32_t as_uid;
	int64_t granted; /* seconds since the epoch */
};

struct canister_grants_reply {
	unsigned int count;
	struct canister_grant_entry grants[CANISTER_GRANTS_LIST_MAX];
};

/*
 * One page of a model view at most: every byte escaped as \u00XX still fits
 * CANISTER_REPLY_MAX.  The client asks again from offset + len.
 */
#define CANISTER_MODEL_PAGE_MAX (64 * 1024)

/* A container's behaviour model: its mode, and a page of the view asked for. */
struct canister_model_reply {
	char mode[8];	 /* "learn", "seal", "enforce" */
	uint64_t size;	 /* the whole view's */
	uint64_t offset; /* where the page starts; offset + len <= size */
	size_t len;
	char text[CANISTER_MODEL_PAGE_MAX + 1]; /* no NUL inside */
};

struct canister_reply {
	enum canister_op op; /* the request it answers */
	bool ok;	     /* false: @error holds the refusal */
	union {
		struct canister_error_reply error;
		struct canister_get_reply get;
		struct canister_set_reply set;
		struct canister_delegate_reply delegate;
		struct canister_list_reply list;
		struct canister_status status;
		struct canister_integrity_read_reply integrity_read;
		struct canister_integrity_quote_reply integrity_quote;
		struct canister_appraisal_reply appraisal; /* key-add, key-remove, appraise */
		struct canister_policy_show_reply policy_show;
		struct canister_grants_reply grants; /* grant, revoke, grant-list */
		struct canister_model_reply model;   /* model, model-load */
		/* audit-add, audit-remove, integrity-policy, policy-load: nothing beyond "ok" */
	};
};

/*
 * canister_reply_encode() - the datagram for @reply, NUL-terminated; returns
 * its length (without the NUL), or:
 *   -EINVAL    @reply is not one canister_reply_decode() would accept (an
 *              unknown op or errno, a chain that does not begin with the
 *              contid, a name canister refuses, a count over its array)
 *   -EMSGSIZE  @len is too small
 *   -ENOMEM
 */
int canister_reply_encode(const struct canister_reply *reply, char *buf, size_t len);

/*
 * canister_reply_decode() - validate and decode the reply to a request of
 * @op.  Everything is checked before anything is used: one JSON object, the
 * members of that op's reply and no other, each of its type and in range
 * (contids as decimal strings, chains that begin with the contid, names
 * canister takes, lists in ascending contid order).  A refusal whose errno
 * name this client does not know reads as EPROTO, with the daemon's words.
 *
 * Returns 0 with the reply in *ret_reply (a refusal is a reply too: ->ok is
 * false), or, with the reason in @err and *ret_reply untouched:
 *   -EMSGSIZE  larger than CANISTER_REPLY_MAX
 *   -EPROTO    anything else malformed
 *   -ENOMEM
 */
int canister_reply_decode(const char *buf, size_t len, enum canister_op op,
			  struct canister_reply *ret_reply, char *err, size_t err_len);

struct json_object;

/*
 * canister_reply_json() - @reply as a json-c object, for the CLI's --json:
 * the members of the reply, with "ok" when @with_ok.  NULL on -EINVAL or
 * -ENOMEM (see canister_reply_encode()).  The caller puts it.
 */
struct json_object *canister_reply_json(const struct canister_reply *reply, bool with_ok);

/* canister_container_json() - one container as "list" and `canister ps --json` show it. */
struct json_object *canister_container_json(const struct canister_container_entry *entry);

/* canister_sinks_json() - the "sinks" array of a status, as `canister audit list --json`. */
struct json_object *canister_sinks_json(const struct canister_audit_status *audit);

#endif
