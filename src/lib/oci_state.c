// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the OCI runtime state document that runc, crun and CRI-O give hooks on stdin. */
#include "lib/oci_state.h"

#include "lib/contid.h"
#include "lib/name.h"
#include "lib/why.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

/* Annotation keys are the container creator's text: shown, they must not break the line. */
#define SHOWN_KEY_MAX 64

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void show_key(const char *key, char *buf, size_t len)
{
	size_t n = 0;

	for (; key[n] && n < SHOWN_KEY_MAX && n + 1 < len; n++) {
		unsigned char c = key[n];

		buf[n] = (c < 0x20 || c > 0x7e || c == '"' || c == '\\') ? '?' : (char)c;
	}
	buf[n] = '\0';
	if (key[n] && len > 4 && n >= 3)
		memcpy(buf + n - 3, "...", 3);
}

/*
 * The string value of member @name, or NULL when it is missing (*ret_present
 * false) or not a string; a "\u0000" escape counts as not a string, since every
 * reader after us would see only the text before it.
 */
static const char *member_string(struct json_object *root, const char *name, bool *ret_present)
{
	struct json_object *value;
	const char *text;

	*ret_present = json_object_object_get_ex(root, name, &value);
	if (!*ret_present || !json_object_is_type(value, json_type_string))
		return NULL;
	text = json_object_get_string(value);
	if (strlen(text) != (size_t)json_object_get_string_len(value))
		return NULL;
	return text;
}

static int parse_id(struct json_object *root, struct canister_oci_state *state, char *why,
		    size_t why_len)
{
	char reason[128];
	const char *id;
	bool present;

	id = member_string(root, "id", &present);
	if (!present)
		return canister_refuse(why, why_len, -EINVAL, "state member \"id\" is missing");
	if (!id)
		return canister_refuse(why, why_len, -EINVAL,
				       "state member \"id\" must be a string");
	if (canister_name_check(id, reason, sizeof(reason)) < 0)
		return canister_refuse(why, why_len, -EINVAL,
				       "state member \"id\" is not a container name canister "
				       "accepts: %s",
				       reason);
	strcpy(state->id, id);
	return 0;
}

static int parse_pid(struct json_object *root, struct canister_oci_state *state, char *why,
		     size_t why_len)
{
	struct json_object *value;
	int64_t pid;

	if (!json_object_object_get_ex(root, "pid", &value))
		return canister_refuse(why, why_len, -EINVAL, "state member \"pid\" is missing");
	/* 1.0 and "1" are not what a runtime writes; accepting them would hide a broken one. */
	if (!json_object_is_type(value, json_type_int))
		goto bad;
	/* json-c clamps integers beyond int64 to its limits, which the range check refuses. */
	pid = json_object_get_int64(value);
	if (pid < 1 || pid > INT_MAX)
		goto bad;
	state->pid = (pid_t)pid;
	return 0;
bad:
	return canister_refuse(why, why_len, -EINVAL,
			       "state member \"pid\" must be an integer between 1 and %d", INT_MAX);
}

static int parse_status(struct json_object *root, struct canister_oci_state *state, char *why,
			size_t why_len)
{
	const char *status;
	bool present;
	size_t len;

	status = member_string(root, "status", &present);
	if (!present)
		return canister_refuse(why, why_len, -EINVAL, "state member \"status\" is missing");
	if (!status)
		goto bad;
	len = strlen(status);
	if (len < 1 || len > CANISTER_OCI_STATUS_MAX)
		goto bad;
	for (size_t i = 0; i < len; i++)
		if (status[i] < 0x21 || status[i] > 0x7e)
			goto bad;
	strcpy(state->status, status);
	return 0;
bad:
	return canister_refuse(
		why, why_len, -EINVAL,
		"state member \"status\" must be a string of 1 to %d printable characters",
		CANISTER_OCI_STATUS_MAX);
}

static int parse_bundle(struct json_object *root, struct canister_oci_state *state, char *why,
			size_t why_len)
{
	const char *bundle;
	bool present;

	bundle = member_string(root, "bundle", &present);
	if (!present)
		return canister_refuse(why, why_len, -EINVAL, "state member \"bundle\" is missing");
	/* The specification requires an absolute path; anything else is not a runtime talking. */
	if (!bundle || bundle[0] != '/' || strlen(bundle) >= sizeof(state->bundle))
		return canister_refuse(
			why, why_len, -EINVAL,
			"state member \"bundle\" must be an absolute path shorter than %zu bytes",
			sizeof(state->bundle));
	strcpy(state->bundle, bundle);
	return 0;
}

static int parse_contid_annotation(struct json_object *value, struct canister_oci_state *state,
				   char *why, size_t why_len)
{
	const char *text = json_object_get_string(value);

	if (strlen(text) != (size_t)json_object_get_string_len(value) ||
	    canister_parse_contid(text, &state->contid) < 0)
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"" CANISTER_OCI_CONTID_ANNOTATION
				       "\" must be a decimal number between 0 and %" PRIu64,
				       (uint64_t)UINT64_MAX - 1);
	state->has_contid = true;
	return 0;
}

/* An annotation that names a file on the host: an absolute path that fits @buf of @size bytes. */
static int parse_path_annotation(struct json_object *value, const char *annotation, char *buf,
				 size_t size, char *why, size_t why_len)
{
	const char *text = json_object_get_string(value);
	size_t len = strlen(text);

	if (len != (size_t)json_object_get_string_len(value) || text[0] != '/' || len >= size)
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"%s\" must be an absolute path of at "
				       "most %zu bytes",
				       annotation, size - 1);
	memcpy(buf, text, len + 1);
	return 0;
}

static int parse_tpm_annotation(struct json_object *value, struct canister_oci_state *state,
				char *why, size_t why_len)
{
	char reason[128];

	if (canister_tpm_choice_parse(json_object_get_string(value),
				      (size_t)json_object_get_string_len(value), &state->tpm,
				      reason, sizeof(reason)) < 0)
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"" CANISTER_OCI_INTEGRITY_TPM_ANNOTATION
				       "\": %s",
				       reason);
	state->has_tpm = true;
	return 0;
}

static int parse_ima_keys_annotation(struct json_object *value, struct canister_oci_state *state,
				     char *why, size_t why_len)
{
	const char *text = json_object_get_string(value), *p = text;
	size_t len = strlen(text), count = 0;

	if (len != (size_t)json_object_get_string_len(value) || len == 0 ||
	    len >= sizeof(state->ima_keys))
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"" CANISTER_OCI_IMA_KEYS_ANNOTATION
				       "\" must be 1 to %zu bytes",
				       sizeof(state->ima_keys) - 1);
	for (;;) {
		const char *end = strchr(p, CANISTER_OCI_IMA_KEYS_SEPARATOR);
		size_t path_len = end ? (size_t)(end - p) : strlen(p);

		if (p[0] != '/' || path_len >= PATH_MAX)
			return canister_refuse(
				why, why_len, -EINVAL,
				"state annotation \"" CANISTER_OCI_IMA_KEYS_ANNOTATION
				"\": path %zu must be absolute and shorter than %d bytes "
				"(paths are separated by ':')",
				count + 1, PATH_MAX);
		if (++count > CANISTER_OCI_IMA_KEYS_COUNT_MAX)
			return canister_refuse(
				why, why_len, -EINVAL,
				"state annotation \"" CANISTER_OCI_IMA_KEYS_ANNOTATION
				"\" names more than %d certificate files",
				CANISTER_OCI_IMA_KEYS_COUNT_MAX);
		if (!end)
			break;
		p = end + 1;
	}
	memcpy(state->ima_keys, text, len + 1);
	return 0;
}

static int parse_appraise_annotation(struct json_object *value, struct canister_oci_state *state,
				     char *why, size_t why_len)
{
	const char *text = json_object_get_string(value);

	if (strlen(text) != (size_t)json_object_get_string_len(value) ||
	    canister_appraise_mode_parse(text, &state->appraise) < 0)
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"" CANISTER_OCI_APPRAISE_ANNOTATION
				       "\" must be off, log or enforce");
	state->has_appraise = true;
	return 0;
}

static int parse_ima_host_keys_annotation(struct json_object *value,
					  struct canister_oci_state *state, char *why,
					  size_t why_len)
{
	const char *text = json_object_get_string(value);

	if (strlen(text) != (size_t)json_object_get_string_len(value) ||
	    (strcmp(text, "yes") != 0 && strcmp(text, "no") != 0))
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"" CANISTER_OCI_IMA_HOST_KEYS_ANNOTATION
				       "\" must be yes or no");
	state->ima_host_keys = strcmp(text, "yes") == 0;
	state->has_ima_host_keys = true;
	return 0;
}

/* "yes" or "no" of @name into *@ret. */
static int parse_yes_no(struct json_object *value, const char *name, bool *ret, char *why,
			size_t why_len)
{
	const char *text = json_object_get_string(value);

	if (strlen(text) != (size_t)json_object_get_string_len(value) ||
	    (strcmp(text, "yes") != 0 && strcmp(text, "no") != 0))
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"%s\" must be yes or no", name);
	*ret = strcmp(text, "yes") == 0;
	return 0;
}

static int parse_model_annotation(struct json_object *value, struct canister_oci_state *state,
				  char *why, size_t why_len)
{
	if (strcmp(json_object_get_string(value), "learn") == 0 &&
	    json_object_get_string_len(value) == 5) {
		strcpy(state->model, "learn");
		return 0;
	}
	return parse_path_annotation(value, CANISTER_OCI_MODEL_ANNOTATION, state->model,
				     sizeof(state->model), why, why_len);
}

static int parse_annotations(struct json_object *root, struct canister_oci_state *state, char *why,
			     size_t why_len)
{
	struct json_object *annotations;

	if (!json_object_object_get_ex(root, "annotations", &annotations))
		return 0;
	if (!json_object_is_type(annotations, json_type_object))
		return canister_refuse(why, why_len, -EINVAL,
				       "state member \"annotations\" must be an object");

	json_object_object_foreach(annotations, key, value)
	{
		int r;

		if (!json_object_is_type(value, json_type_string)) {
			char shown[SHOWN_KEY_MAX + 1];

			show_key(key, shown, sizeof(shown));
			return canister_refuse(why, why_len, -EINVAL,
					       "state annotation \"%s\" must be a string", shown);
		}
		if (strcmp(key, CANISTER_OCI_CONTID_ANNOTATION) == 0) {
			r = parse_contid_annotation(value, state, why, why_len);
			if (r < 0)
				return r;
		}
		if (strcmp(key, CANISTER_OCI_IMA_POLICY_ANNOTATION) == 0) {
			r = parse_path_annotation(value, CANISTER_OCI_IMA_POLICY_ANNOTATION,
						  state->ima_policy, sizeof(state->ima_policy), why,
						  why_len);
			if (r < 0)
				return r;
		}
		if (strcmp(key, CANISTER_OCI_POLICY_ANNOTATION) == 0) {
			r = parse_path_annotation(value, CANISTER_OCI_POLICY_ANNOTATION,
						  state->access_policy,
						  sizeof(state->access_policy), why, why_len);
			if (r < 0)
				return r;
		}
		r = 0;
		if (strcmp(key, CANISTER_OCI_IMA_KEYS_ANNOTATION) == 0)
			r = parse_ima_keys_annotation(value, state, why, why_len);
		else if (strcmp(key, CANISTER_OCI_INTEGRITY_TPM_ANNOTATION) == 0)
			r = parse_tpm_annotation(value, state, why, why_len);
		else if (strcmp(key, CANISTER_OCI_APPRAISE_ANNOTATION) == 0)
			r = parse_appraise_annotation(value, state, why, why_len);
		else if (strcmp(key, CANISTER_OCI_IMA_HOST_KEYS_ANNOTATION) == 0)
			r = parse_ima_host_keys_annotation(value, state, why, why_len);
		else if (strcmp(key, CANISTER_OCI_MODEL_ANNOTATION) == 0)
			r = parse_model_annotation(value, state, why, why_len);
		else if (strcmp(key, CANISTER_OCI_MODEL_ENFORCE_ANNOTATION) == 0)
			r = parse_yes_no(value, CANISTER_OCI_MODEL_ENFORCE_ANNOTATION,
					 &state->model_enforce, why, why_len);
		if (r < 0)
			return r;
	}
	/* A model being learned has nothing to enforce yet. */
	if (state->model_enforce && (!state->model[0] || strcmp(state->model, "learn") == 0))
		return canister_refuse(why, why_len, -EINVAL,
				       "state annotation \"" CANISTER_OCI_MODEL_ENFORCE_ANNOTATION
				       "\" needs \"" CANISTER_OCI_MODEL_ANNOTATION
				       "\" to name a model file");
	return 0;
}

static int parse_object(struct json_object *root, struct canister_oci_state *ret_state, char *why,
			size_t why_len)
{
	struct canister_oci_state state = { 0 };
	bool present;
	int r;

	if (!json_object_is_type(root, json_type_object))
		return canister_refuse(why, why_len, -EINVAL, "state is not a JSON object");
	/* Its value is not used, but without it this is not a state document at all. */
	if (!member_string(root, "ociVersion", &present))
		return canister_refuse(why, why_len, -EINVAL,
				       present ? "state member \"ociVersion\" must be a string"
					       : "state member \"ociVersion\" is missing");

	r = parse_id(root, &state, why, why_len);
	if (r == 0)
		r = parse_pid(root, &state, why, why_len);
	if (r == 0)
		r = parse_status(root, &state, why, why_len);
	if (r == 0)
		r = parse_bundle(root, &state, why, why_len);
	if (r == 0)
		r = parse_annotations(root, &state, why, why_len);
	if (r < 0)
		return r;
	*ret_state = state;
	return 0;
}

/*
 * In strict mode json-c refuses whatever follows the first value itself, with
 * the generic "unexpected character"; if everything before that point is a
 * complete value, the user deserves to hear that the rest is the problem.
 */
static bool complete_before(const char *buf, size_t end)
{
	struct json_tokener *tokener;
	struct json_object *root;

	tokener = json_tokener_new();
	if (!tokener)
		return false;
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tokener, buf, (int)end);
	json_tokener_free(tokener);
	json_object_put(root);
	return root != NULL;
}

int canister_oci_state_parse(const char *buf, size_t len, struct canister_oci_state *ret_state,
			     char *why, size_t why_len)
{
	struct json_tokener *tokener;
	enum json_tokener_error jerr;
	struct json_object *root;
	size_t start, end;
	int r;

	if (len > CANISTER_OCI_STATE_MAX)
		return canister_refuse(why, why_len, -EINVAL, "state is larger than %d bytes",
				       CANISTER_OCI_STATE_MAX);
	/* json-c would stop reading at a NUL and call the document truncated, which misleads. */
	if (memchr(buf, '\0', len))
		return canister_refuse(why, why_len, -EINVAL, "state contains a NUL byte");
	for (start = 0; start < len && is_json_space(buf[start]); start++)
		;
	if (start == len)
		return canister_refuse(why, why_len, -EINVAL, "state is empty");
	/* json-c waits for more digits after a bare number; say what is wrong instead. */
	if (buf[start] != '{')
		return canister_refuse(why, why_len, -EINVAL, "state is not a JSON object");

	tokener = json_tokener_new();
	if (!tokener) {
		canister_refuse(why, why_len, -EINVAL, "out of memory");
		return -ENOMEM;
	}
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tokener, buf, (int)len);
	jerr = json_tokener_get_error(tokener);
	end = json_tokener_get_parse_end(tokener);
	json_tokener_free(tokener);

	if (!root) {
		if (jerr == json_tokener_continue)
			return canister_refuse(
				why, why_len, -EINVAL,
				"state is truncated: the JSON object ends before its closing '}'");
		if (jerr == json_tokener_error_parse_unexpected && end > start &&
		    complete_before(buf, end))
			return canister_refuse(why, why_len, -EINVAL,
					       "state has data after the JSON object (at byte %zu)",
					       end + 1);
		return canister_refuse(why, why_len, -EINVAL,
				       "state is not valid JSON: %s (at byte %zu)",
				       json_tokener_error_desc(jerr), end + 1);
	}
	/* Strict mode already refuses trailing data; this keeps that true if json-c changes. */
	for (; end < len; end++) {
		if (!is_json_space(buf[end])) {
			json_object_put(root);
			return canister_refuse(why, why_len, -EINVAL,
					       "state has data after the JSON object (at byte %zu)",
					       end + 1);
		}
	}

	r = parse_object(root, ret_state, why, why_len);
	json_object_put(root);
	return r;
}
