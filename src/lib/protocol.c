// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: control-socket messages, one JSON object per SOCK_SEQPACKET datagram. */
#include "lib/protocol.h"

#include "lib/hex.h"

#include "lib/config.h"
#include "lib/contid.h"
#include "lib/name.h"
#include "lib/why.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Members each op takes; "op" itself and "version" are always allowed. */
static const struct {
	enum canister_op op;
	const char *name;
	const char *members[8];
} op_table[] = {
	{ CANISTER_OP_STATUS, "status", { NULL } },
	{ CANISTER_OP_GET, "get", { "pid", NULL } },
	{ CANISTER_OP_SET, "set", { "pid", "contid", "name", NULL } },
	{ CANISTER_OP_DELEGATE, "delegate", { "pid", NULL } },
	{ CANISTER_OP_LIST, "list", { "after", NULL } },
	{ CANISTER_OP_AUDIT_ADD,
	  "audit-add",
	  { "contid", "log", "rules", "backlog", "format", "socket", NULL } },
	{ CANISTER_OP_AUDIT_REMOVE, "audit-remove", { "contid", NULL } },
	{ CANISTER_OP_INTEGRITY_POLICY, "integrity-policy", { "contid", "policy", NULL } },
	{ CANISTER_OP_INTEGRITY_READ,
	  "integrity-read",
	  { "contid", "file", "bank", "offset", NULL } },
	{ CANISTER_OP_INTEGRITY_QUOTE, "integrity-quote", { "contid", "nonce", NULL } },
	{ CANISTER_OP_INTEGRITY_TPM, "integrity-tpm", { "contid", "tpm", NULL } },
	{ CANISTER_OP_INTEGRITY_KEY_ADD, "integrity-key-add", { "contid", "certificate", NULL } },
	{ CANISTER_OP_INTEGRITY_KEY_REMOVE, "integrity-key-remove", { "contid", "keyid", NULL } },
	{ CANISTER_OP_INTEGRITY_APPRAISE,
	  "integrity-appraise",
	  { "contid", "mode", "host_keys", NULL } },
	{ CANISTER_OP_POLICY_LOAD, "policy-load", { "contid", "policy", "mode", NULL } },
	{ CANISTER_OP_POLICY_SHOW, "policy-show", { "contid", "effective", NULL } },
	{ CANISTER_OP_GRANT, "grant", { "contid", "right", "uid", "as_contid", "as_uid", NULL } },
	{ CANISTER_OP_REVOKE, "revoke", { "contid", "right", "uid", "as_contid", "as_uid", NULL } },
	{ CANISTER_OP_GRANT_LIST, "grant-list", { "contid", NULL } },
	{ CANISTER_OP_MODEL, "model", { "contid", "action", "offset", "init", NULL } },
	{ CANISTER_OP_MODEL_LOAD,
	  "model-load",
	  { "contid", "model", "model_memfd", "enforce", "init", NULL } },
};

/* @words[@index], or NULL past the end of the @count words. */
static const char *word_of(const char *const *words, size_t count, size_t index)
{
	return index < count ? words[index] : NULL;
}

/* The index of @word among the @count @words, or -EINVAL for none of them. */
static int index_of_word(const char *const *words, size_t count, const char *word)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(word, words[i]) == 0)
			return (int)i;
	return -EINVAL;
}

static const char *const appraise_modes[] = {
	[CANISTER_APPRAISE_OFF] = "off",
	[CANISTER_APPRAISE_LOG] = "log",
	[CANISTER_APPRAISE_ENFORCE] = "enforce",
};

/*
 * PREFIX_name() and PREFIX_parse() of an enum whose values are the indexes
 * of @words: the word of a value (NULL past them), and the value of a word
 * (-EINVAL for none of them).
 */
#define WORD_ENUM(prefix, type, words)                                   \
	const char *prefix##_name(type value)                            \
	{                                                                \
		return word_of(words, ARRAY_SIZE(words), (size_t)value); \
	}                                                                \
	int prefix##_parse(const char *word, type *ret_value)            \
	{                                                                \
		int i = index_of_word(words, ARRAY_SIZE(words), word);   \
                                                                         \
		if (i < 0)                                               \
			return i;                                        \
		*ret_value = (type)i;                                    \
		return 0;                                                \
	}

/* canister_appraise_mode_name(), canister_appraise_mode_parse() */
WORD_ENUM(canister_appraise_mode, enum canister_appraise_mode, appraise_modes)

bool canister_op_large(enum canister_op op)
{
	return op == CANISTER_OP_INTEGRITY_POLICY || op == CANISTER_OP_INTEGRITY_KEY_ADD ||
	       op == CANISTER_OP_POLICY_LOAD || op == CANISTER_OP_MODEL_LOAD;
}

_Static_assert(sizeof(struct canister_model_request) <= sizeof(struct canister_integrity_request),
	       "a model request must not make every request larger");

bool canister_op_model(enum canister_op op)
{
	return op == CANISTER_OP_MODEL || op == CANISTER_OP_MODEL_LOAD;
}

static const char *const model_actions[] = {
	[CANISTER_MODEL_ACT_LEARN] = "learn",
	[CANISTER_MODEL_ACT_SEAL] = "seal",
	[CANISTER_MODEL_ACT_ENFORCE] = "enforce",
	[CANISTER_MODEL_ACT_STATE] = "state",
	[CANISTER_MODEL_ACT_MEASUREMENT] = "measurement",
	[CANISTER_MODEL_ACT_TRAJECTORY] = "trajectory",
	[CANISTER_MODEL_ACT_FORENSICS] = "forensics",
	[CANISTER_MODEL_ACT_COUNTS] = "counts",
	[CANISTER_MODEL_ACT_EVENTS] = "events",
	[CANISTER_MODEL_ACT_UNTRUSTED] = "untrusted",
	[CANISTER_MODEL_ACT_EXPORT] = "export",
};

/* canister_model_action_name(), canister_model_action_parse() */
WORD_ENUM(canister_model_action, enum canister_model_action, model_actions)

bool canister_op_policy(enum canister_op op)
{
	return op == CANISTER_OP_POLICY_LOAD || op == CANISTER_OP_POLICY_SHOW;
}

bool canister_op_grant(enum canister_op op)
{
	return op == CANISTER_OP_GRANT || op == CANISTER_OP_REVOKE || op == CANISTER_OP_GRANT_LIST;
}

static const char *const access_modes[] = {
	[CANISTER_ACCESS_ENFORCE] = "enforce",
	[CANISTER_ACCESS_COMPLAIN] = "complain",
};

/* canister_access_mode_name(), canister_access_mode_parse() */
WORD_ENUM(canister_access_mode, enum canister_access_mode, access_modes)

bool canister_op_integrity(enum canister_op op)
{
	switch (op) {
	case CANISTER_OP_INTEGRITY_POLICY:
	case CANISTER_OP_INTEGRITY_READ:
	case CANISTER_OP_INTEGRITY_QUOTE:
	case CANISTER_OP_INTEGRITY_TPM:
	case CANISTER_OP_INTEGRITY_KEY_ADD:
	case CANISTER_OP_INTEGRITY_KEY_REMOVE:
	case CANISTER_OP_INTEGRITY_APPRAISE:
		return true;
	default:
		return false;
	}
}

static const char *const integrity_files[] = {
	[CANISTER_INTEGRITY_ASCII] = "ascii", [CANISTER_INTEGRITY_BINARY] = "binary",
	[CANISTER_INTEGRITY_PCRS] = "pcrs",   [CANISTER_INTEGRITY_POLICY] = "policy",
	[CANISTER_INTEGRITY_TPM] = "tpm",
};

const char *canister_integrity_file_name(enum canister_integrity_file file)
{
	return word_of(integrity_files, ARRAY_SIZE(integrity_files), (size_t)file);
}

const char *canister_op_name(enum canister_op op)
{
	for (size_t i = 0; i < ARRAY_SIZE(op_table); i++)
		if (op_table[i].op == op)
			return op_table[i].name;
	return "?";
}

static bool member_allowed(size_t op_index, const char *key)
{
	if (strcmp(key, "op") == 0 || strcmp(key, "version") == 0)
		return true;
	for (size_t i = 0; op_table[op_index].members[i]; i++)
		if (strcmp(op_table[op_index].members[i], key) == 0)
			return true;
	return false;
}

/* A "\u0000" escape would hide the rest of the string from C's string functions. */
static bool has_nul(struct json_object *string)
{
	return strlen(json_object_get_string(string)) != (size_t)json_object_get_string_len(string);
}

/* A contid member: a decimal string, never the unset value. */
static int decode_contid(struct json_object *value, const char *member, uint64_t *ret_contid,
			 char *err, size_t err_len)
{
	uint64_t contid;

	if (!json_object_is_type(value, json_type_string))
		return canister_refuse(err, err_len, -EINVAL, "\"%s\" must be a decimal string",
				       member);
	/* "7\u0000junk" is not 7. */
	if (has_nul(value) || canister_parse_contid(json_object_get_string(value), &contid) < 0)
		return canister_refuse(err, err_len, -EINVAL,
				       "\"%s\" must be a decimal number in 0..%" PRIu64, member,
				       (uint64_t)UINT64_MAX - 1);
	*ret_contid = contid;
	return 0;
}

/* A path member: an absolute path of at most @max bytes, copied to @buf. */
static int decode_path(struct json_object *value, const char *member, char *buf, size_t max,
		       char *err, size_t err_len)
{
	const char *path;

	if (!json_object_is_type(value, json_type_string) || has_nul(value))
		return canister_refuse(err, err_len, -EINVAL, "\"%s\" must be a string without NUL",
				       member);
	path = json_object_get_string(value);
	if (path[0] != '/')
		return canister_refuse(err, err_len, -EINVAL, "\"%s\" must be an absolute path",
				       member);
	if (strlen(path) > max)
		return canister_refuse(err, err_len, -EINVAL, "\"%s\" is longer than %zu bytes",
				       member, max);
	strcpy(buf, path);
	return 0;
}

/* An optional member that is one of two words: *@ret_second says which (untouched if absent). */
static int decode_either(struct json_object *root, const char *member, const char *first,
			 const char *second, bool *ret_second, char *err, size_t err_len)
{
	struct json_object *value;
	const char *word;

	if (!json_object_object_get_ex(root, member, &value))
		return 0;
	word = json_object_get_string(value);
	if (!json_object_is_type(value, json_type_string) || has_nul(value) ||
	    (strcmp(word, first) != 0 && strcmp(word, second) != 0))
		return canister_refuse(err, err_len, -EINVAL, "\"%s\" must be \"%s\" or \"%s\"",
				       member, first, second);
	*ret_second = strcmp(word, second) == 0;
	return 0;
}

static int decode_sink(struct json_object *root, struct canister_request *request, char *err,
		       size_t err_len)
{
	struct canister_sink_request *sink = &request->sink;
	struct json_object *value;

	if (!json_object_object_get_ex(root, "log", &value))
		return canister_refuse(err, err_len, -EINVAL, "op \"audit-add\" needs \"log\"");
	if (decode_path(value, "log", sink->log, CANISTER_REQUEST_PATH_MAX, err, err_len) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(root, "rules", &value) &&
	    decode_path(value, "rules", sink->rules, CANISTER_REQUEST_PATH_MAX, err, err_len) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(root, "socket", &value) &&
	    decode_path(value, "socket", sink->socket, sizeof(sink->socket) - 1, err, err_len) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(root, "backlog", &value)) {
		int64_t backlog;

		errno = 0;
		backlog = json_object_get_int64(value);
		if (!json_object_is_type(value, json_type_int) || errno || backlog < 1 ||
		    backlog > CANISTER_SINK_BACKLOG_MAX)
			return canister_refuse(err, err_len, -EINVAL,
					       "\"backlog\" must be an integer in 1..%d",
					       CANISTER_SINK_BACKLOG_MAX);
		sink->backlog = (unsigned int)backlog;
	}
	if (decode_either(root, "format", "text", "json", &sink->json, err, err_len) < 0)
		return -EINVAL;
	return 0;
}

/*
 * The certificate is checked here only for what the wire needs (hex, its
 * size); canisterd parses it.  A key id is 8 lower-case hex digits, as
 * `canister integrity key list` prints it.
 */
/*
 * Member @name of @op_name's request: 1 to @max bytes in lower-case hex,
 * decoded into @buf and their count into *@ret_len.
 */
static int decode_hex_member(struct json_object *root, const char *op_name, const char *name,
			     uint8_t *buf, size_t max, size_t *ret_len, char *err, size_t err_len)
{
	struct json_object *value;
	size_t len;

	if (!json_object_object_get_ex(root, name, &value) ||
	    !json_object_is_type(value, json_type_string))
		return canister_refuse(err, err_len, -EINVAL, "op \"%s\" needs \"%s\", a string",
				       op_name, name);
	len = (size_t)json_object_get_string_len(value);
	if (len == 0 || len % 2 || len / 2 > max ||
	    canister_hex_decode(json_object_get_string(value), len, buf) < 0)
		return canister_refuse(err, err_len, -EINVAL,
				       "\"%s\" must be 1 to %zu bytes in lower-case hex", name,
				       max);
	*ret_len = len / 2;
	return 0;
}

static int decode_appraisal(struct json_object *root, struct canister_request *request, char *err,
			    size_t err_len)
{
	struct canister_integrity_request *integrity = &request->integrity;
	struct json_object *value;

	if (request->op == CANISTER_OP_INTEGRITY_KEY_ADD)
		return decode_hex_member(root, "integrity-key-add", "certificate",
					 integrity->certificate, CANISTER_INTEGRITY_CERTIFICATE_MAX,
					 &integrity->certificate_len, err, err_len);
	if (request->op == CANISTER_OP_INTEGRITY_KEY_REMOVE) {
		uint8_t keyid[4];

		if (!json_object_object_get_ex(root, "keyid", &value) ||
		    !json_object_is_type(value, json_type_string) ||
		    json_object_get_string_len(value) != 8 ||
		    canister_hex_decode(json_object_get_string(value), 8, keyid) < 0)
			return canister_refuse(
				err, err_len, -EINVAL,
				"op \"integrity-key-remove\" needs \"keyid\", 8 lower-case "
				"hex digits");
		integrity->keyid = (uint32_t)keyid[0] << 24 | (uint32_t)keyid[1] << 16 |
				   (uint32_t)keyid[2] << 8 | keyid[3];
		return 0;
	}
	if (json_object_object_get_ex(root, "mode", &value)) {
		if (!json_object_is_type(value, json_type_string) || has_nul(value) ||
		    canister_appraise_mode_parse(json_object_get_string(value), &integrity->mode) <
			    0)
			return canister_refuse(err, err_len, -EINVAL,
					       "\"mode\" must be \"off\", \"log\" or \"enforce\"");
		integrity->has_mode = true;
	}
	if (json_object_object_get_ex(root, "host_keys", &value)) {
		if (!json_object_is_type(value, json_type_boolean))
			return canister_refuse(err, err_len, -EINVAL,
					       "\"host_keys\" must be true or false");
		integrity->host_keys = json_object_get_boolean(value);
		integrity->has_host_keys = true;
	}
	return 0;
}

/*
 * @op_name's "policy": a string without NUL of at most @max bytes, copied to
 * @buf (NUL-terminated) and its length to *@ret_len.
 */
static int decode_policy_text(struct json_object *root, const char *op_name, char *buf, size_t max,
			      size_t *ret_len, char *err, size_t err_len)
{
	struct json_object *value;
	size_t len;

	if (!json_object_object_get_ex(root, "policy", &value))
		return canister_refuse(err, err_len, -EINVAL, "op \"%s\" needs \"policy\"",
				       op_name);
	if (!json_object_is_type(value, json_type_string) || has_nul(value))
		return canister_refuse(err, err_len, -EINVAL,
				       "\"policy\" must be a string without NUL");
	len = (size_t)json_object_get_string_len(value);
	if (len > max)
		return canister_refuse(err, err_len, -EMSGSIZE,
				       "\"policy\" is longer than %zu bytes", max);
	memcpy(buf, json_object_get_string(value), len);
	buf[len] = '\0';
	*ret_len = len;
	return 0;
}

/*
 * The policy text is checked here only for what the wire needs (no NUL, its
 * size); canisterd parses it, and its parser is the one that says which line
 * is wrong.
 */
static int decode_integrity(struct json_object *root, struct canister_request *request, char *err,
			    size_t err_len)
{
	struct canister_integrity_request *integrity = &request->integrity;
	struct json_object *value;

	if (request->op == CANISTER_OP_INTEGRITY_KEY_ADD ||
	    request->op == CANISTER_OP_INTEGRITY_KEY_REMOVE ||
	    request->op == CANISTER_OP_INTEGRITY_APPRAISE)
		return decode_appraisal(root, request, err, err_len);
	if (request->op == CANISTER_OP_INTEGRITY_QUOTE)
		return decode_hex_member(root, "integrity-quote", "nonce", integrity->nonce,
					 CANISTER_INTEGRITY_NONCE_MAX, &integrity->nonce_len, err,
					 err_len);
	if (request->op == CANISTER_OP_INTEGRITY_TPM) {
		char why[128];

		if (!json_object_object_get_ex(root, "tpm", &value) ||
		    !json_object_is_type(value, json_type_string))
			return canister_refuse(err, err_len, -EINVAL,
					       "op \"integrity-tpm\" needs \"tpm\", a string");
		if (canister_tpm_choice_parse(json_object_get_string(value),
					      (size_t)json_object_get_string_len(value),
					      &integrity->tpm, why, sizeof(why)) < 0)
			return canister_refuse(err, err_len, -EINVAL,
					       "\"tpm\" must be \"none\" or \"swtpm\"");
		return 0;
	}
	if (request->op == CANISTER_OP_INTEGRITY_POLICY)
		return decode_policy_text(root, "integrity-policy", integrity->policy,
					  CANISTER_INTEGRITY_POLICY_TEXT_MAX,
					  &integrity->policy_len, err, err_len);
	if (!json_object_object_get_ex(root, "file", &value))
		return canister_refuse(err, err_len, -EINVAL,
				       "op \"integrity-read\" needs \"file\"");
	integrity->file = ARRAY_SIZE(integrity_files);
	for (size_t i = 0; i < ARRAY_SIZE(integrity_files); i++)
		if (json_object_is_type(value, json_type_string) && !has_nul(value) &&
		    strcmp(json_object_get_string(value), integrity_files[i]) == 0)
			integrity->file = (enum canister_integrity_file)i;
	if ((size_t)integrity->file == ARRAY_SIZE(integrity_files))
		return canister_refuse(
			err, err_len, -EINVAL,
			"\"file\" must be \"ascii\", \"binary\", \"pcrs\", \"policy\" or "
			"\"tpm\"");
	if (decode_either(root, "bank", "sha1", "sha256", &integrity->sha256, err, err_len) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(root, "offset", &value)) {
		int64_t offset;

		errno = 0;
		offset = json_object_get_int64(value);
		/* 2^53: beyond it JSON readers disagree, and no list grows that large. */
		if (!json_object_is_type(value, json_type_int) || errno || offset < 0 ||
		    offset > (INT64_C(1) << 53))
			return canister_refuse(err, err_len, -EINVAL,
					       "\"offset\" must be an integer in 0..2^53");
		integrity->offset = (uint64_t)offset;
	}
	return 0;
}

/*
 * As integrity-policy's: the text is checked here only for what the wire
 * needs; canisterd parses it, and says which line is wrong.
 */
static int decode_policy(struct json_object *root, struct canister_request *request, char *err,
			 size_t err_len)
{
	struct canister_policy_request *policy = &request->policy;
	struct json_object *value;

	if (request->op == CANISTER_OP_POLICY_SHOW) {
		if (!json_object_object_get_ex(root, "effective", &value))
			return 0;
		if (!json_object_is_type(value, json_type_boolean))
			return canister_refuse(err, err_len, -EINVAL,
					       "\"effective\" must be true or false");
		policy->effective = json_object_get_boolean(value);
		return 0;
	}
	if (json_object_object_get_ex(root, "mode", &value) &&
	    (!json_object_is_type(value, json_type_string) || has_nul(value) ||
	     canister_access_mode_parse(json_object_get_string(value), &policy->mode) < 0))
		return canister_refuse(err, err_len, -EINVAL,
				       "\"mode\" must be \"enforce\" or \"complain\"");
	return decode_policy_text(root, "policy-load", policy->policy,
				  CANISTER_ACCESS_POLICY_TEXT_MAX, &policy->policy_len, err,
				  err_len);
}

/* As policy-load's: the model text is checked here only for what the wire needs. */
static int decode_model(struct json_object *root, struct canister_request *request, char *err,
			size_t err_len)
{
	struct canister_model_request *model = &request->model;
	struct json_object *value;
	size_t len;

	if (json_object_object_get_ex(root, "init", &value)) {
		int64_t pid;

		errno = 0;
		pid = json_object_get_int64(value);
		if (!json_object_is_type(value, json_type_int) || errno || pid < 1 ||
		    pid > CANISTER_MODEL_INIT_MAX)
			return canister_refuse(err, err_len, -EINVAL,
					       "\"init\" must be a pid in 1..%d",
					       CANISTER_MODEL_INIT_MAX);
		model->init = (uint32_t)pid;
	}
	if (request->op == CANISTER_OP_MODEL) {
		if (!json_object_object_get_ex(root, "action", &value) ||
		    !json_object_is_type(value, json_type_string) || has_nul(value) ||
		    canister_model_action_parse(json_object_get_string(value), &model->action) < 0)
			return canister_refuse(
				err, err_len, -EINVAL,
				"op \"model\" needs \"action\": learn, seal, enforce, "
				"state, measurement, trajectory, forensics, counts, "
				"events, untrusted or export");
		if (json_object_object_get_ex(root, "offset", &value)) {
			int64_t offset;

			errno = 0;
			offset = json_object_get_int64(value);
			if (!json_object_is_type(value, json_type_int) || errno || offset < 0 ||
			    offset > (INT64_C(1) << 53))
				return canister_refuse(err, err_len, -EINVAL,
						       "\"offset\" must be an integer in 0..2^53");
			model->offset = (uint64_t)offset;
		}
		if (model->init && model->action != CANISTER_MODEL_ACT_LEARN)
			return canister_refuse(err, err_len, -EINVAL,
					       "\"init\" goes with the action learn, which makes "
					       "a domain");
		return 0;
	}
	if (json_object_object_get_ex(root, "enforce", &value)) {
		if (!json_object_is_type(value, json_type_boolean))
			return canister_refuse(err, err_len, -EINVAL,
					       "\"enforce\" must be true or false");
		model->enforce = json_object_get_boolean(value);
	}
	/* The text, or a memfd that holds it (the descriptor is the control socket's to take). */
	if (json_object_object_get_ex(root, "model_memfd", &value)) {
		if (!json_object_is_type(value, json_type_boolean) ||
		    !json_object_get_boolean(value))
			return canister_refuse(err, err_len, -EINVAL,
					       "\"model_memfd\" must be true (the model file "
					       "is the memfd passed with the request)");
		if (json_object_object_get_ex(root, "model", &value))
			return canister_refuse(err, err_len, -EINVAL,
					       "op \"model-load\" takes \"model\" or "
					       "\"model_memfd\", not both");
		model->memfd = true;
		return 0;
	}
	if (!json_object_object_get_ex(root, "model", &value))
		return canister_refuse(err, err_len, -EINVAL,
				       "op \"model-load\" needs \"model\" or \"model_memfd\"");
	if (!json_object_is_type(value, json_type_string) || has_nul(value))
		return canister_refuse(err, err_len, -EINVAL,
				       "\"model\" must be a string without NUL");
	len = (size_t)json_object_get_string_len(value);
	if (len > CANISTER_MODEL_TEXT_MAX)
		return canister_refuse(err, err_len, -EMSGSIZE, "\"model\" is longer than %d bytes",
				       CANISTER_MODEL_TEXT_MAX);
	memcpy(model->text, json_object_get_string(value), len);
	model->text[len] = '\0';
	model->text_len = len;
	return 0;
}

/* An integer member in 0..@max. */
static int decode_uint(struct json_object *value, const char *member, uint64_t max, uint64_t *ret,
		       char *err, size_t err_len)
{
	int64_t number;

	errno = 0;
	number = json_object_get_int64(value);
	if (!json_object_is_type(value, json_type_int) || errno || number < 0 ||
	    (uint64_t)number > max)
		return canister_refuse(err, err_len, -EINVAL,
				       "\"%s\" must be an integer in 0..%" PRIu64, member, max);
	*ret = (uint64_t)number;
	return 0;
}

/* grant, revoke: host-admin takes nothing more; a credential as_contid, as_uid, maybe uid. */
static int decode_grant(struct json_object *root, struct canister_request *request, char *err,
			size_t err_len)
{
	struct canister_grant_request *grant = &request->grant;
	struct json_object *value;
	uint64_t number;

	if (request->op == CANISTER_OP_GRANT_LIST)
		return 0;
	if (!json_object_object_get_ex(root, "right", &value))
		return canister_refuse(err, err_len, -EINVAL, "op \"%s\" needs \"right\"",
				       canister_op_name(request->op));
	if (decode_either(root, "right", "host-admin", "credential", &grant->credential, err,
			  err_len) < 0)
		return -EINVAL;
	if (!grant->credential) {
		if (json_object_object_get_ex(root, "uid", NULL) ||
		    json_object_object_get_ex(root, "as_contid", NULL) ||
		    json_object_object_get_ex(root, "as_uid", NULL))
			return canister_refuse(err, err_len, -EINVAL,
					       "host-admin takes no \"uid\", \"as_contid\" or "
					       "\"as_uid\"");
		return 0;
	}
	if (!json_object_object_get_ex(root, "as_contid", &value) ||
	    decode_contid(value, "as_contid", &grant->as_contid, err, err_len) < 0 ||
	    grant->as_contid == 0)
		return canister_refuse(err, err_len, -EINVAL,
				       "a credential needs \"as_contid\", a container (not 0)");
	if (!json_object_object_get_ex(root, "as_uid", &value))
		return canister_refuse(err, err_len, -EINVAL, "a credential needs \"as_uid\"");
	if (decode_uint(value, "as_uid", CANISTER_GRANT_UID_MAX, &number, err, err_len) < 0)
		return -EINVAL;
	grant->as_uid = (uint32_t)number;
	if (json_object_object_get_ex(root, "uid", &value)) {
		if (decode_uint(value, "uid", CANISTER_GRANT_UID_MAX, &number, err, err_len) < 0)
			return -EINVAL;
		grant->has_uid = true;
		grant->uid = (uint32_t)number;
	}
	return 0;
}

/* @request is zeroed: the caller allocates it (the policy text makes it too large for a stack). */
static int decode_object(struct json_object *root, size_t len, struct canister_request *request,
			 char *err, size_t err_len)
{
	struct json_object *value;
	const char *op_name;
	size_t op_index;

	if (!json_object_is_type(root, json_type_object))
		return canister_refuse(err, err_len, -EINVAL, "request is not a JSON object");

	if (json_object_object_get_ex(root, "version", &value)) {
		if (!json_object_is_type(value, json_type_int) ||
		    json_object_get_int64(value) != CANISTER_PROTOCOL_VERSION)
			return canister_refuse(
				err, err_len, -EPROTO,
				"unsupported protocol version (this daemon speaks %d)",
				CANISTER_PROTOCOL_VERSION);
	}

	if (!json_object_object_get_ex(root, "op", &value) ||
	    !json_object_is_type(value, json_type_string))
		return canister_refuse(err, err_len, -EINVAL, "request has no \"op\" string");
	op_name = json_object_get_string(value);
	if (has_nul(value))
		return canister_refuse(err, err_len, -EINVAL, "\"op\" contains a NUL character");
	for (op_index = 0; op_index < ARRAY_SIZE(op_table); op_index++)
		if (strcmp(op_table[op_index].name, op_name) == 0)
			break;
	if (op_index == ARRAY_SIZE(op_table))
		return canister_refuse(err, err_len, -EINVAL, "unknown op \"%.64s\"", op_name);
	request->op = op_table[op_index].op;
	if (len > CANISTER_REQUEST_MAX && !canister_op_large(request->op))
		return canister_refuse(err, err_len, -EMSGSIZE, "request larger than %d bytes",
				       CANISTER_REQUEST_MAX);

	json_object_object_foreach(root, key, member)
	{
		(void)member;
		if (!member_allowed(op_index, key))
			return canister_refuse(err, err_len, -EINVAL,
					       "op \"%s\" takes no member \"%.64s\"", op_name, key);
	}

	if (request->op == CANISTER_OP_GET || request->op == CANISTER_OP_SET ||
	    request->op == CANISTER_OP_DELEGATE) {
		int64_t pid;

		if (!json_object_object_get_ex(root, "pid", &value))
			return canister_refuse(err, err_len, -EINVAL, "op \"%s\" needs \"pid\"",
					       op_name);
		if (!json_object_is_type(value, json_type_int))
			return canister_refuse(err, err_len, -EINVAL, "\"pid\" must be an integer");
		errno = 0;
		pid = json_object_get_int64(value);
		if (errno || pid < 1 || pid > INT_MAX)
			return canister_refuse(err, err_len, -EINVAL, "\"pid\" must be in 1..%d",
					       INT_MAX);
		request->pid = (pid_t)pid;
	}

	if (request->op == CANISTER_OP_SET) {
		if (!json_object_object_get_ex(root, "contid", &value))
			request->allocate = true;
		else if (decode_contid(value, "contid", &request->contid, err, err_len) < 0)
			return -EINVAL;
	}

	if (request->op == CANISTER_OP_SET && json_object_object_get_ex(root, "name", &value)) {
		char why[128];
		const char *name;

		if (!json_object_is_type(value, json_type_string))
			return canister_refuse(err, err_len, -EINVAL, "\"name\" must be a string");
		name = json_object_get_string(value);
		if (has_nul(value))
			return canister_refuse(err, err_len, -EINVAL,
					       "\"name\" contains a NUL character");
		if (canister_name_check(name, why, sizeof(why)) < 0)
			return canister_refuse(err, err_len, -EINVAL, "%s", why);
		request->has_name = true;
		/* canister_name_check() bounds the length by the buffer's. */
		strcpy(request->name, name);
	}

	if (request->op == CANISTER_OP_AUDIT_ADD || request->op == CANISTER_OP_AUDIT_REMOVE ||
	    canister_op_integrity(request->op) || canister_op_policy(request->op) ||
	    canister_op_grant(request->op) || canister_op_model(request->op)) {
		if (!json_object_object_get_ex(root, "contid", &value))
			return canister_refuse(err, err_len, -EINVAL, "op \"%s\" needs \"contid\"",
					       op_name);
		if (decode_contid(value, "contid", &request->contid, err, err_len) < 0)
			return -EINVAL;
		if (request->contid == 0)
			return canister_refuse(err, err_len, -EINVAL,
					       "\"contid\" 0 is no container");
	}
	if (request->op == CANISTER_OP_AUDIT_ADD && decode_sink(root, request, err, err_len) < 0)
		return -EINVAL;

	if (canister_op_integrity(request->op)) {
		int r = decode_integrity(root, request, err, err_len);

		if (r < 0)
			return r;
	}

	if (canister_op_policy(request->op)) {
		int r = decode_policy(root, request, err, err_len);

		if (r < 0)
			return r;
	}

	if (canister_op_grant(request->op) && decode_grant(root, request, err, err_len) < 0)
		return -EINVAL;

	if (canister_op_model(request->op)) {
		int r = decode_model(root, request, err, err_len);

		if (r < 0)
			return r;
	}

	if (request->op == CANISTER_OP_LIST && json_object_object_get_ex(root, "after", &value)) {
		if (decode_contid(value, "after", &request->after, err, err_len) < 0)
			return -EINVAL;
		request->has_after = true;
	}

	return 0;
}

int canister_request_decode(const char *buf, size_t len, struct canister_request *ret_request,
			    char *err, size_t err_len)
{
	struct canister_request *request;
	struct json_tokener *tokener;
	struct json_object *root;
	int r;

	/* Larger than CANISTER_REQUEST_MAX is refused once the op is known, unless it may be. */
	if (len > CANISTER_REQUEST_LARGE_MAX)
		return canister_refuse(err, err_len, -EMSGSIZE, "request larger than %d bytes",
				       CANISTER_REQUEST_MAX);
	if (len == 0 || memchr(buf, '\0', len))
		return canister_refuse(err, err_len, -EINVAL,
				       "request is empty or contains a NUL byte");

	tokener = json_tokener_new_ex(8);
	if (!tokener)
		return canister_refuse(err, err_len, -ENOMEM, "out of memory");
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tokener, buf, (int)len);
	if (!root) {
		enum json_tokener_error jerr = json_tokener_get_error(tokener);

		/* A complete datagram that leaves the parser wanting more is truncated JSON. */
		r = canister_refuse(err, err_len, -EINVAL, "request is not valid JSON: %s",
				    jerr == json_tokener_continue ? "unexpected end of input"
								  : json_tokener_error_desc(jerr));
		json_tokener_free(tokener);
		return r;
	}
	if (json_tokener_get_parse_end(tokener) != len) {
		json_object_put(root);
		json_tokener_free(tokener);
		return canister_refuse(err, err_len, -EINVAL,
				       "request has data after the JSON object");
	}
	json_tokener_free(tokener);

	request = calloc(1, sizeof(*request));
	if (!request) {
		json_object_put(root);
		return canister_refuse(err, err_len, -ENOMEM, "out of memory");
	}
	r = decode_object(root, len, request, err, err_len);
	json_object_put(root);
	if (r == 0)
		*ret_request = *request;
	free(request);
	return r;
}

/* audit-add and audit-remove carry paths, which need JSON escaping: built with json-c. */
static int encode_sink_op(const struct canister_request *request, char *buf, size_t len)
{
	const struct canister_sink_request *sink = &request->sink;
	struct json_object *root = json_object_new_object();
	char contid[24];
	const char *text;
	int n;

	if (!root)
		return -ENOMEM;
	snprintf(contid, sizeof(contid), "%" PRIu64, request->contid);
	json_object_object_add(root, "version", json_object_new_int(CANISTER_PROTOCOL_VERSION));
	json_object_object_add(root, "op", json_object_new_string(canister_op_name(request->op)));
	json_object_object_add(root, "contid", json_object_new_string(contid));
	if (request->op == CANISTER_OP_AUDIT_ADD) {
		json_object_object_add(root, "log", json_object_new_string(sink->log));
		if (sink->rules[0])
			json_object_object_add(root, "rules", json_object_new_string(sink->rules));
		if (sink->socket[0])
			json_object_object_add(root, "socket",
					       json_object_new_string(sink->socket));
		if (sink->backlog)
			json_object_object_add(root, "backlog",
					       json_object_new_int64(sink->backlog));
		json_object_object_add(root, "format",
				       json_object_new_string(sink->json ? "json" : "text"));
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	n = (int)strlen(text);
	if ((size_t)n >= len)
		n = -EMSGSIZE;
	else
		memcpy(buf, text, (size_t)n + 1);
	json_object_put(root);
	return n;
}

/* The object of an op that names a container: version, op and contid; NULL without memory. */
static struct json_object *contid_request_json(const struct canister_request *request)
{
	struct json_object *root = json_object_new_object();
	char contid[24];

	if (!root)
		return NULL;
	snprintf(contid, sizeof(contid), "%" PRIu64, request->contid);
	json_object_object_add(root, "version", json_object_new_int(CANISTER_PROTOCOL_VERSION));
	json_object_object_add(root, "op", json_object_new_string(canister_op_name(request->op)));
	json_object_object_add(root, "contid", json_object_new_string(contid));
	return root;
}

/* @root (put) as the datagram in @buf of @len bytes: its length, -EMSGSIZE or -ENOMEM. */
static int contid_request_text(struct json_object *root, char *buf, size_t len)
{
	const char *text = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	int n = text ? (int)strlen(text) : -ENOMEM;

	if (n >= 0 && ((size_t)n >= len || n > CANISTER_REQUEST_LARGE_MAX))
		n = -EMSGSIZE;
	else if (n >= 0)
		memcpy(buf, text, (size_t)n + 1);
	json_object_put(root);
	return n;
}

/* The policy text needs JSON escaping too: built with json-c. */
static int encode_integrity_op(const struct canister_request *request, char *buf, size_t len)
{
	const struct canister_integrity_request *integrity = &request->integrity;
	struct json_object *root;

	if (request->contid == 0 || request->contid == CANISTER_CONTID_UNSET)
		return -EINVAL;
	if (request->op == CANISTER_OP_INTEGRITY_POLICY &&
	    (integrity->policy_len > CANISTER_INTEGRITY_POLICY_TEXT_MAX ||
	     memchr(integrity->policy, '\0', integrity->policy_len)))
		return -EINVAL;
	if (request->op == CANISTER_OP_INTEGRITY_READ &&
	    (!canister_integrity_file_name(integrity->file) ||
	     integrity->offset > (UINT64_C(1) << 53)))
		return -EINVAL;
	if (request->op == CANISTER_OP_INTEGRITY_QUOTE &&
	    (integrity->nonce_len < 1 || integrity->nonce_len > CANISTER_INTEGRITY_NONCE_MAX))
		return -EINVAL;
	if (request->op == CANISTER_OP_INTEGRITY_TPM && !canister_tpm_choice_name(integrity->tpm))
		return -EINVAL;
	if (request->op == CANISTER_OP_INTEGRITY_KEY_ADD &&
	    (integrity->certificate_len < 1 ||
	     integrity->certificate_len > CANISTER_INTEGRITY_CERTIFICATE_MAX))
		return -EINVAL;
	if (request->op == CANISTER_OP_INTEGRITY_APPRAISE && integrity->has_mode &&
	    !canister_appraise_mode_name(integrity->mode))
		return -EINVAL;
	root = contid_request_json(request);
	if (!root)
		return -ENOMEM;
	if (request->op == CANISTER_OP_INTEGRITY_QUOTE) {
		char nonce[2 * CANISTER_INTEGRITY_NONCE_MAX + 1];

		canister_hex_encode(integrity->nonce, integrity->nonce_len, nonce);
		json_object_object_add(root, "nonce", json_object_new_string(nonce));
	} else if (request->op == CANISTER_OP_INTEGRITY_TPM) {
		json_object_object_add(
			root, "tpm",
			json_object_new_string(canister_tpm_choice_name(integrity->tpm)));
	} else if (request->op == CANISTER_OP_INTEGRITY_KEY_ADD) {
		char *hex = malloc(2 * integrity->certificate_len + 1);

		if (!hex) {
			json_object_put(root);
			return -ENOMEM;
		}
		canister_hex_encode(integrity->certificate, integrity->certificate_len, hex);
		json_object_object_add(root, "certificate", json_object_new_string(hex));
		free(hex);
	} else if (request->op == CANISTER_OP_INTEGRITY_KEY_REMOVE) {
		char keyid[9];

		snprintf(keyid, sizeof(keyid), "%08" PRIx32, integrity->keyid);
		json_object_object_add(root, "keyid", json_object_new_string(keyid));
	} else if (request->op == CANISTER_OP_INTEGRITY_APPRAISE) {
		if (integrity->has_mode)
			json_object_object_add(root, "mode",
					       json_object_new_string(canister_appraise_mode_name(
						       integrity->mode)));
		if (integrity->has_host_keys)
			json_object_object_add(root, "host_keys",
					       json_object_new_boolean(integrity->host_keys));
	} else if (request->op == CANISTER_OP_INTEGRITY_POLICY) {
		json_object_object_add(
			root, "policy",
			json_object_new_string_len(integrity->policy, (int)integrity->policy_len));
	} else {
		json_object_object_add(
			root, "file",
			json_object_new_string(canister_integrity_file_name(integrity->file)));
		json_object_object_add(
			root, "bank",
			json_object_new_string(integrity->sha256 ? "sha256" : "sha1"));
		json_object_object_add(root, "offset",
				       json_object_new_int64((int64_t)integrity->offset));
	}
	return contid_request_text(root, buf, len);
}

/* policy-load's text needs JSON escaping: built with json-c. */
static int encode_policy_op(const struct canister_request *request, char *buf, size_t len)
{
	const struct canister_policy_request *policy = &request->policy;
	struct json_object *root;

	if (request->contid == 0 || request->contid == CANISTER_CONTID_UNSET)
		return -EINVAL;
	if (request->op == CANISTER_OP_POLICY_LOAD &&
	    (policy->policy_len > CANISTER_ACCESS_POLICY_TEXT_MAX ||
	     memchr(policy->policy, '\0', policy->policy_len) ||
	     !canister_access_mode_name(policy->mode)))
		return -EINVAL;
	root = contid_request_json(request);
	if (!root)
		return -ENOMEM;
	if (request->op == CANISTER_OP_POLICY_LOAD) {
		json_object_object_add(
			root, "policy",
			json_object_new_string_len(policy->policy, (int)policy->policy_len));
		json_object_object_add(
			root, "mode",
			json_object_new_string(canister_access_mode_name(policy->mode)));
	} else {
		json_object_object_add(root, "effective",
				       json_object_new_boolean(policy->effective));
	}
	return contid_request_text(root, buf, len);
}

static int encode_grant_op(const struct canister_request *request, char *buf, size_t len)
{
	const struct canister_grant_request *grant = &request->grant;
	struct json_object *root;
	char as_contid[24];

	if (request->contid == 0 || request->contid == CANISTER_CONTID_UNSET)
		return -EINVAL;
	if (request->op != CANISTER_OP_GRANT_LIST && grant->credential &&
	    (grant->as_contid == 0 || grant->as_contid == CANISTER_CONTID_UNSET ||
	     grant->as_uid > CANISTER_GRANT_UID_MAX ||
	     (grant->has_uid && grant->uid > CANISTER_GRANT_UID_MAX)))
		return -EINVAL;
	root = contid_request_json(request);
	if (!root)
		return -ENOMEM;
	if (request->op != CANISTER_OP_GRANT_LIST) {
		json_object_object_add(
			root, "right",
			json_object_new_string(grant->credential ? "credential" : "host-admin"));
		if (grant->credential) {
			snprintf(as_contid, sizeof(as_contid), "%" PRIu64, grant->as_contid);
			json_object_object_add(root, "as_contid",
					       json_object_new_string(as_contid));
			json_object_object_add(root, "as_uid",
					       json_object_new_int64(grant->as_uid));
			if (grant->has_uid)
				json_object_object_add(root, "uid",
						       json_object_new_int64(grant->uid));
		}
	}
	return contid_request_text(root, buf, len);
}

/* model-load's text needs JSON escaping: built with json-c. */
static int encode_model_op(const struct canister_request *request, char *buf, size_t len)
{
	const struct canister_model_request *model = &request->model;
	struct json_object *root;

	if (request->contid == 0 || request->contid == CANISTER_CONTID_UNSET)
		return -EINVAL;
	if (request->op == CANISTER_OP_MODEL &&
	    (!canister_model_action_name(model->action) || model->offset > (UINT64_C(1) << 53)))
		return -EINVAL;
	if (model->init > CANISTER_MODEL_INIT_MAX ||
	    (model->init && request->op == CANISTER_OP_MODEL &&
	     model->action != CANISTER_MODEL_ACT_LEARN))
		return -EINVAL;
	if (request->op == CANISTER_OP_MODEL_LOAD && !model->memfd &&
	    (model->text_len > CANISTER_MODEL_TEXT_MAX ||
	     memchr(model->text, '\0', model->text_len)))
		return -EINVAL;
	root = contid_request_json(request);
	if (!root)
		return -ENOMEM;
	if (request->op == CANISTER_OP_MODEL) {
		json_object_object_add(
			root, "action",
			json_object_new_string(canister_model_action_name(model->action)));
		json_object_object_add(root, "offset",
				       json_object_new_int64((int64_t)model->offset));
	} else {
		if (model->memfd)
			json_object_object_add(root, "model_memfd", json_object_new_boolean(true));
		else
			json_object_object_add(
				root, "model",
				json_object_new_string_len(model->text, (int)model->text_len));
		json_object_object_add(root, "enforce", json_object_new_boolean(model->enforce));
	}
	if (model->init)
		json_object_object_add(root, "init", json_object_new_int64(model->init));
	return contid_request_text(root, buf, len);
}

int canister_request_encode(const struct canister_request *request, char *buf, size_t len)
{
	/* The optional members: a contid, a name (64 characters) or both. */
	char members[128] = "";
	bool takes_pid;
	int n;

	switch (request->op) {
	case CANISTER_OP_STATUS:
		takes_pid = false;
		break;
	case CANISTER_OP_GET:
	case CANISTER_OP_DELEGATE:
		takes_pid = true;
		break;
	case CANISTER_OP_SET:
		takes_pid = true;
		if (!request->allocate)
			snprintf(members, sizeof(members), ",\"contid\":\"%" PRIu64 "\"",
				 request->contid);
		if (request->has_name) {
			char why[128];

			/* The check also proves that the name needs no JSON escaping. */
			if (canister_name_check(request->name, why, sizeof(why)) < 0)
				return -EINVAL;
			snprintf(members + strlen(members), sizeof(members) - strlen(members),
				 ",\"name\":\"%s\"", request->name);
		}
		break;
	case CANISTER_OP_AUDIT_ADD:
	case CANISTER_OP_AUDIT_REMOVE:
		return encode_sink_op(request, buf, len);
	case CANISTER_OP_INTEGRITY_POLICY:
	case CANISTER_OP_INTEGRITY_READ:
	case CANISTER_OP_INTEGRITY_QUOTE:
	case CANISTER_OP_INTEGRITY_TPM:
	case CANISTER_OP_INTEGRITY_KEY_ADD:
	case CANISTER_OP_INTEGRITY_KEY_REMOVE:
	case CANISTER_OP_INTEGRITY_APPRAISE:
		return encode_integrity_op(request, buf, len);
	case CANISTER_OP_POLICY_LOAD:
	case CANISTER_OP_POLICY_SHOW:
		return encode_policy_op(request, buf, len);
	case CANISTER_OP_GRANT:
	case CANISTER_OP_REVOKE:
	case CANISTER_OP_GRANT_LIST:
		return encode_grant_op(request, buf, len);
	case CANISTER_OP_MODEL:
	case CANISTER_OP_MODEL_LOAD:
		return encode_model_op(request, buf, len);
	case CANISTER_OP_LIST:
		takes_pid = false;
		if (request->has_after)
			snprintf(members, sizeof(members), ",\"after\":\"%" PRIu64 "\"",
				 request->after);
		break;
	default:
		return -EINVAL;
	}
	if (takes_pid)
		n = snprintf(buf, len, "{\"version\":%d,\"op\":\"%s\",\"pid\":%d%s}",
			     CANISTER_PROTOCOL_VERSION, canister_op_name(request->op),
			     (int)request->pid, members);
	else
		n = snprintf(buf, len, "{\"version\":%d,\"op\":\"%s\"%s}",
			     CANISTER_PROTOCOL_VERSION, canister_op_name(request->op), members);
	if (n < 0 || (size_t)n >= len)
		return -EMSGSIZE;
	return n;
}
