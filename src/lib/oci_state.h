/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the OCI runtime state document that runc, crun and CRI-O give hooks on stdin. */
#ifndef CANISTER_LIB_OCI_STATE_H
#define CANISTER_LIB_OCI_STATE_H

#include "lib/protocol.h"

#include <canister/canister.h>

#include "lib/tpm_choice.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Real state documents are a few hundred bytes; annotations make them grow, not this much. */
#define CANISTER_OCI_STATE_MAX (1024 * 1024)
/* "creating", "created", "running", "stopped", or a runtime's own ("paused"). */
#define CANISTER_OCI_STATUS_MAX 31
/* The annotation an orchestrator sets to choose the container's contid (decimal). */
#define CANISTER_OCI_CONTID_ANNOTATION "org.canister.contid"
/* The annotation that names the container's IMA policy file (an absolute host path). */
#define CANISTER_OCI_IMA_POLICY_ANNOTATION "org.canister.ima-policy"
/* The annotation that names the container's access policy file (an absolute host path). */
#define CANISTER_OCI_POLICY_ANNOTATION "org.canister.policy"
/* The annotation that chooses the container's TPM: "none" or "swtpm". */
#define CANISTER_OCI_INTEGRITY_TPM_ANNOTATION "org.canister.integrity-tpm"

/*
 * The annotation that names the container's appraisal certificate files:
 * absolute host paths separated by ':' (as in $PATH; a path holding ':'
 * cannot be named), at most CANISTER_OCI_IMA_KEYS_COUNT_MAX of them.
 */
#define CANISTER_OCI_IMA_KEYS_ANNOTATION "org.canister.ima-keys"
#define CANISTER_OCI_IMA_KEYS_SEPARATOR ':'
#define CANISTER_OCI_IMA_KEYS_COUNT_MAX 64
#define CANISTER_OCI_IMA_KEYS_MAX (16 * 1024)
/* The container's appraisal mode: "off", "log" or "enforce". */
#define CANISTER_OCI_APPRAISE_ANNOTATION "org.canister.appraise"
/* Whether the host's appraisal keys count for the container: "yes" or "no". */
#define CANISTER_OCI_IMA_HOST_KEYS_ANNOTATION "org.canister.ima-host-keys"

/*
 * The container's behaviour model: "learn" (its domain learns from the first
 * instruction), or the absolute host path of a model file loaded sealed.
 */
#define CANISTER_OCI_MODEL_ANNOTATION "org.canister.model"
/* Whether that model file is enforced, not only sealed: "yes" or "no". */
#define CANISTER_OCI_MODEL_ENFORCE_ANNOTATION "org.canister.model-enforce"

struct canister_oci_state {
	char id[CANISTER_NAME_MAX + 1]; /* passed canister_name_check() */
	pid_t pid;			/* 1 .. INT_MAX */
	char status[CANISTER_OCI_STATUS_MAX + 1];
	char bundle[PATH_MAX];	   /* absolute */
	bool has_contid;	   /* the contid annotation was present */
	uint64_t contid;	   /* its value; never CANISTER_CONTID_UNSET */
	char ima_policy[PATH_MAX]; /* the IMA policy annotation (absolute), or "" */
	bool has_tpm;		   /* the integrity-tpm annotation was present */
	enum canister_tpm_choice tpm;
	char ima_keys[CANISTER_OCI_IMA_KEYS_MAX]; /* the ima-keys annotation as given, or "" */
	bool has_appraise;			  /* the appraise annotation was present */
	enum canister_appraise_mode appraise;
	bool has_ima_host_keys; /* the ima-host-keys annotation was present */
	bool ima_host_keys;
	char access_policy[PATH_MAX]; /* the access policy annotation (absolute), or "" */
	char model[PATH_MAX];	      /* the model annotation: "learn", a path, or "" */
	bool model_enforce;	      /* the model-enforce annotation said yes */
};

/*
 * canister_oci_state_parse() - read one OCI runtime state document
 * (runtime-spec runtime.md, "State").
 *
 * @buf must hold exactly one JSON object, optionally surrounded by whitespace.
 * Required: "ociVersion" (string), "id" (a name canister_name_check() accepts),
 * "pid" (a JSON integer in 1..INT_MAX), "status" (1..CANISTER_OCI_STATUS_MAX
 * printable characters) and "bundle" (an absolute path).  "annotations", if
 * present, must be an object of strings; CANISTER_OCI_CONTID_ANNOTATION in it
 * must be a contid canister_parse_contid() accepts, and
 * CANISTER_OCI_IMA_POLICY_ANNOTATION an absolute path;
 * CANISTER_OCI_INTEGRITY_TPM_ANNOTATION "none" or "swtpm";
 * CANISTER_OCI_IMA_KEYS_ANNOTATION 1..CANISTER_OCI_IMA_KEYS_COUNT_MAX absolute
 * paths each shorter than PATH_MAX, separated by ':' (no empty one), at most
 * CANISTER_OCI_IMA_KEYS_MAX - 1 bytes in all; CANISTER_OCI_APPRAISE_ANNOTATION
 * "off", "log" or "enforce"; CANISTER_OCI_IMA_HOST_KEYS_ANNOTATION "yes" or
 * "no"; CANISTER_OCI_POLICY_ANNOTATION an absolute path;
 * CANISTER_OCI_MODEL_ANNOTATION "learn" or an absolute path, and
 * CANISTER_OCI_MODEL_ENFORCE_ANNOTATION "yes" or "no" ("yes" only with a model
 * file).  Other members are ignored: the specification lets runtimes add
 * their own.
 *
 * Returns 0 and fills *ret_state, or (with *ret_state untouched):
 *   -EINVAL  not such a document; a one-line reason naming the member goes to
 *            @why ("state is truncated ..." when the JSON ends early)
 *   -ENOMEM
 */
int canister_oci_state_parse(const char *buf, size_t len, struct canister_oci_state *ret_state,
			     char *why, size_t why_len);

#endif
