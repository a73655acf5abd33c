// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: control-socket messages, one JSON object per SOCK_SEQPACKET datagram. */
#include "lib/protocol.h"

#include "lib/config.h"
#include "lib/contid.h"
#include "lib/name.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
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
};

const char *canister_op_name(enum canister_op op)
{
	for (size_t i = 0; i < ARRAY_SIZE(op_table); i++)
		if (op_table[i].op == op)
			return op_table[i].name;
	return "?";
}

static int fail(char *err, size_t err_len, int r, const char *fmt, ...)
{
	va_list ap;

	if (err && err_len) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return r;
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
		return fail(err, err_len, -EINVAL, "\"%s\" must be a decimal string", member);
	/* "7\u0000junk" is not 7. */
	if (has_nul(value) || canister_parse_contid(json_object_get_string(value), &contid) < 0)
		return fail(err, err_len, -EINVAL, "\"%s\" must be a decimal number in 0..%" PRIu64,
			    member, (uint64_t)UINT64_MAX - 1);
	*ret_contid = contid;
	return 0;
}

/* A path member: an absolute path of at most @max bytes, copied to @buf. */
static int decode_path(struct json_object *value, const char *member, char *buf, size_t max,
		       char *err, size_t err_len)
{
	const char *path;

	if (!json_object_is_type(value, json_type_string) || has_nul(value))
		return fail(err, err_len, -EINVAL, "\"%s\" must be a string without NUL", member);
	path = json_object_get_string(value);
	if (path[0] != '/')
		return fail(err, err_len, -EINVAL, "\"%s\" must be an absolute path", member);
	if (strlen(path) > max)
		return fail(err, err_len, -EINVAL, "\"%s\" is longer than %zu bytes", member, max);
	strcpy(buf, path);
	return 0;
}

static int decode_sink(struct json_object *root, struct canister_request *request, char *err,
		       size_t err_len)
{
	struct canister_sink_request *sink = &request->sink;
	struct json_object *value;

	if (!json_object_object_get_ex(root, "log", &value))
		return fail(err, err_len, -EINVAL, "op \"audit-add\" needs \"log\"");
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
			return fail(err, err_len, -EINVAL,
				    "\"backlog\" must be an integer in 1..%d",
				    CANISTER_SINK_BACKLOG_MAX);
		sink->backlog = (unsigned int)backlog;
	}
	if (json_object_object_get_ex(root, "format", &value)) {
		const char *format = json_object_get_string(value);

		if (!json_object_is_type(value, json_type_string) || has_nul(value) ||
		    (strcmp(format, "text") != 0 && strcmp(format, "json") != 0))
			return fail(err, err_len, -EINVAL,
				    "\"format\" must be \"text\" or \"json\"");
		sink->json = strcmp(format, "json") == 0;
	}
	return 0;
}

static int decode_object(struct json_object *root, struct canister_request *ret_request, char *err,
			 size_t err_len)
{
	struct canister_request request = { 0 };
	struct json_object *value;
	const char *op_name;
	size_t op_index;

	if (!json_object_is_type(root, json_type_object))
		return fail(err, err_len, -EINVAL, "request is not a JSON object");

	if (json_object_object_get_ex(root, "version", &value)) {
		if (!json_object_is_type(value, json_type_int) ||
		    json_object_get_int64(value) != CANISTER_PROTOCOL_VERSION)
			return fail(err, err_len, -EPROTO,
				    "unsupported protocol version (this daemon speaks %d)",
				    CANISTER_PROTOCOL_VERSION);
	}

	if (!json_object_object_get_ex(root, "op", &value) ||
	    !json_object_is_type(value, json_type_string))
		return fail(err, err_len, -EINVAL, "request has no \"op\" string");
	op_name = json_object_get_string(value);
	if (has_nul(value))
		return fail(err, err_len, -EINVAL, "\"op\" contains a NUL character");
	for (op_index = 0; op_index < ARRAY_SIZE(op_table); op_index++)
		if (strcmp(op_table[op_index].name, op_name) == 0)
			break;
	if (op_index == ARRAY_SIZE(op_table))
		return fail(err, err_len, -EINVAL, "unknown op \"%.64s\"", op_name);
	request.op = op_table[op_index].op;

	json_object_object_foreach(root, key, member)
	{
		(void)member;
		if (!member_allowed(op_index, key))
			return fail(err, err_len, -EINVAL, "op \"%s\" takes no member \"%.64s\"",
				    op_name, key);
	}

	if (request.op == CANISTER_OP_GET || request.op == CANISTER_OP_SET ||
	    request.op == CANISTER_OP_DELEGATE) {
		int64_t pid;

		if (!json_object_object_get_ex(root, "pid", &value))
			return fail(err, err_len, -EINVAL, "op \"%s\" needs \"pid\"", op_name);
		if (!json_object_is_type(value, json_type_int))
			return fail(err, err_len, -EINVAL, "\"pid\" must be an integer");
		errno = 0;
		pid = json_object_get_int64(value);
		if (errno || pid < 1 || pid > INT_MAX)
			return fail(err, err_len, -EINVAL, "\"pid\" must be in 1..%d", INT_MAX);
		request.pid = (pid_t)pid;
	}

	if (request.op == CANISTER_OP_SET) {
		if (!json_object_object_get_ex(root, "contid", &value))
			request.allocate = true;
		else if (decode_contid(value, "contid", &request.contid, err, err_len) < 0)
			return -EINVAL;
	}

	if (request.op == CANISTER_OP_SET && json_object_object_get_ex(root, "name", &value)) {
		char why[128];
		const char *name;

		if (!json_object_is_type(value, json_type_string))
			return fail(err, err_len, -EINVAL, "\"name\" must be a string");
		name = json_object_get_string(value);
		if (has_nul(value))
			return fail(err, err_len, -EINVAL, "\"name\" contains a NUL character");
		if (canister_name_check(name, why, sizeof(why)) < 0)
			return fail(err, err_len, -EINVAL, "%s", why);
		request.has_name = true;
		/* canister_name_check() bounds the length by the buffer's. */
		strcpy(request.name, name);
	}

	if (request.op == CANISTER_OP_AUDIT_ADD || request.op == CANISTER_OP_AUDIT_REMOVE) {
		if (!json_object_object_get_ex(root, "contid", &value))
			return fail(err, err_len, -EINVAL, "op \"%s\" needs \"contid\"", op_name);
		if (decode_contid(value, "contid", &request.contid, err, err_len) < 0)
			return -EINVAL;
		if (request.contid == 0)
			return fail(err, err_len, -EINVAL, "\"contid\" 0 is no container");
	}
	if (request.op == CANISTER_OP_AUDIT_ADD && decode_sink(root, &request, err, err_len) < 0)
		return -EINVAL;

	if (request.op == CANISTER_OP_LIST && json_object_object_get_ex(root, "after", &value)) {
		if (decode_contid(value, "after", &request.after, err, err_len) < 0)
			return -EINVAL;
		request.has_after = true;
	}

	*ret_request = request;
	return 0;
}

int canister_request_decode(const char *buf, size_t len, struct canister_request *ret_request,
			    char *err, size_t err_len)
{
	struct json_tokener *tokener;
	struct json_object *root;
	int r;

	if (len > CANISTER_REQUEST_MAX)
		return fail(err, err_len, -EMSGSIZE, "request larger than %d bytes",
			    CANISTER_REQUEST_MAX);
	if (len == 0 || memchr(buf, '\0', len))
		return fail(err, err_len, -EINVAL, "request is empty or contains a NUL byte");

	tokener = json_tokener_new_ex(8);
	if (!tokener)
		return fail(err, err_len, -ENOMEM, "out of memory");
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tokener, buf, (int)len);
	if (!root) {
		enum json_tokener_error jerr = json_tokener_get_error(tokener);

		/* A complete datagram that leaves the parser wanting more is truncated JSON. */
		r = fail(err, err_len, -EINVAL, "request is not valid JSON: %s",
			 jerr == json_tokener_continue ? "unexpected end of input"
						       : json_tokener_error_desc(jerr));
		json_tokener_free(tokener);
		return r;
	}
	if (json_tokener_get_parse_end(tokener) != len) {
		json_object_put(root);
		json_tokener_free(tokener);
		return fail(err, err_len, -EINVAL, "request has data after the JSON object");
	}
	json_tokener_free(tokener);

	r = decode_object(root, ret_request, err, err_len);
	json_object_put(root);
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
