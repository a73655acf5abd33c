// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* libcanister: talk to canisterd over its control socket (for orchestrators and the CLI). */
#include <canister/canister.h>

#include "lib/client.h"
#include "lib/contid.h"
#include "lib/errnames.h"
#include "lib/name.h"
#include "lib/protocol.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct canister_client {
	int fd;
	char error[512];
};

static int client_fail(struct canister_client *client, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(client->error, sizeof(client->error), fmt, ap);
	va_end(ap);
	return r;
}

int canister_client_connect(const char *socket_path, struct canister_client **ret_client)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct canister_client *client;
	int fd;

	if (!socket_path)
		socket_path = getenv("CANISTER_SOCKET");
	if (!socket_path || !*socket_path)
		socket_path = CANISTER_SOCKET_DEFAULT;
	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, socket_path);

	client = calloc(1, sizeof(*client));
	if (!client)
		return -ENOMEM;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		int r = -errno;

		free(client);
		return r;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = -errno;

		close(fd);
		free(client);
		return r;
	}
	client->fd = fd;
	*ret_client = client;
	return 0;
}

void canister_client_close(struct canister_client *client)
{
	if (!client)
		return;
	close(client->fd);
	free(client);
}

const char *canister_client_error(const struct canister_client *client)
{
	return client->error[0] ? client->error : "no error";
}

/*
 * One strict JSON document and nothing after it (whitespace aside), as the
 * daemon decodes requests; NULL otherwise.  A NUL inside the datagram ends it
 * early and so fails the length check.
 */
static struct json_object *parse_reply(const char *text, size_t len)
{
	struct json_tokener *tokener = json_tokener_new();
	struct json_object *reply;
	size_t end;

	if (!tokener)
		return NULL;
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
	reply = json_tokener_parse_ex(tokener, text, (int)len);
	end = json_tokener_get_parse_end(tokener);
	if (json_tokener_get_error(tokener) != json_tokener_success) {
		json_object_put(reply);
		reply = NULL;
	}
	json_tokener_free(tokener);
	while (reply && end < len &&
	       (text[end] == ' ' || text[end] == '\n' || text[end] == '\t' || text[end] == '\r'))
		end++;
	if (reply && end != len) {
		json_object_put(reply);
		reply = NULL;
	}
	return reply;
}

/*
 * Sends @request and returns the parsed reply object in *ret_reply when the
 * daemon answered "ok": true.  A refusal becomes its errno and message.
 */
static int transact(struct canister_client *client, const struct canister_request *request,
		    struct json_object **ret_reply)
{
	char out[CANISTER_REQUEST_MAX];
	struct json_object *reply, *value;
	char *in;
	ssize_t got;
	int len, r;

	client->error[0] = '\0';
	len = canister_request_encode(request, out, sizeof(out));
	if (len < 0)
		return client_fail(client, len, "request does not fit in a datagram");
	if (send(client->fd, out, len, MSG_NOSIGNAL) != len)
		return client_fail(client, -errno, "cannot send to canisterd: %s", strerror(errno));

	in = malloc(CANISTER_REPLY_MAX + 1);
	if (!in)
		return client_fail(client, -ENOMEM, "out of memory");
	do
		got = recv(client->fd, in, CANISTER_REPLY_MAX + 1, MSG_TRUNC);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		r = client_fail(client, -errno, "cannot read canisterd's reply: %s",
				strerror(errno));
		goto out;
	}
	if (got == 0) {
		r = client_fail(client, -ECONNRESET, "canisterd closed the connection");
		goto out;
	}
	if (got > CANISTER_REPLY_MAX) {
		r = client_fail(client, -EMSGSIZE, "canisterd's reply is larger than %d bytes",
				CANISTER_REPLY_MAX);
		goto out;
	}
	in[got] = '\0';
	reply = parse_reply(in, (size_t)got);
	if (!reply || !json_object_is_type(reply, json_type_object) ||
	    !json_object_object_get_ex(reply, "ok", &value) ||
	    !json_object_is_type(value, json_type_boolean)) {
		json_object_put(reply);
		r = client_fail(client, -EPROTO, "canisterd sent a malformed reply");
		goto out;
	}
	if (!json_object_get_boolean(value)) {
		struct json_object *name, *message;
		int errnum = 0;

		if (json_object_object_get_ex(reply, "errno", &name) &&
		    json_object_is_type(name, json_type_string))
			errnum = canister_errno_from_name(json_object_get_string(name));
		if (!errnum)
			errnum = EPROTO;
		if (!json_object_object_get_ex(reply, "error", &message) ||
		    !json_object_is_type(message, json_type_string))
			message = NULL;
		r = client_fail(client, -errnum, "%s",
				message ? json_object_get_string(message) : strerror(errnum));
		json_object_put(reply);
		goto out;
	}
	*ret_reply = reply;
	r = 0;
out:
	free(in);
	return r;
}

/*
 * Readers of the members of a reply.  What the client uses must be there, of
 * its type and in range, or the reply is -EPROTO; members it does not know are
 * left alone, so that a newer canisterd may add some.
 */

static int malformed(struct canister_client *client, const char *what)
{
	return client_fail(client, -EPROTO, "canisterd sent a malformed reply (%s)", what);
}

/* A "\u0000" escape would hide the rest of the string from C's string functions. */
static bool string_has_nul(struct json_object *string)
{
	return strlen(json_object_get_string(string)) != (size_t)json_object_get_string_len(string);
}

/* Contids travel as decimal strings; "unset" (where @unset_ok) means no container. */
static int read_contid(struct canister_client *client, struct json_object *string, bool unset_ok,
		       uint64_t *ret_contid)
{
	const char *text;

	if (!json_object_is_type(string, json_type_string) || string_has_nul(string))
		return malformed(client, "a contid is not a string");
	text = json_object_get_string(string);
	if (unset_ok && strcmp(text, "unset") == 0) {
		*ret_contid = CANISTER_CONTID_UNSET;
		return 0;
	}
	if (canister_parse_contid(text, ret_contid) < 0)
		return malformed(client, "a contid is not a decimal number below 2^64-1");
	return 0;
}

static int member_contid(struct canister_client *client, struct json_object *object, bool unset_ok,
			 uint64_t *ret_contid)
{
	struct json_object *value;

	if (!json_object_object_get_ex(object, "contid", &value))
		return malformed(client, "no \"contid\"");
	return read_contid(client, value, unset_ok, ret_contid);
}

/*
 * The "chain" of a process or container: its contid first, then its parent's,
 * up to CANISTER_NEST_LIMIT_MAX of them.  Empty only for a process in no
 * container, which the callers check against the contid.
 */
static int member_chain(struct canister_client *client, struct json_object *object,
			uint64_t ret_chain[CANISTER_NEST_LIMIT_MAX], unsigned int *ret_depth)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct json_object *array;
	size_t depth;
	int r;

	if (!json_object_object_get_ex(object, "chain", &array) ||
	    !json_object_is_type(array, json_type_array))
		return malformed(client, "no \"chain\" array");
	depth = json_object_array_length(array);
	if (depth > CANISTER_NEST_LIMIT_MAX)
		return malformed(client, "a chain is deeper than 20");
	for (size_t i = 0; i < depth; i++) {
		r = read_contid(client, json_object_array_get_idx(array, i), false, &chain[i]);
		if (r < 0)
			return r;
	}
	memcpy(ret_chain, chain, depth * sizeof(chain[0]));
	*ret_depth = (unsigned int)depth;
	return 0;
}

/* "chain" must begin with @contid, or be empty when @contid is unset. */
static int member_chain_of(struct canister_client *client, struct json_object *object,
			   uint64_t contid, uint64_t ret_chain[CANISTER_NEST_LIMIT_MAX],
			   unsigned int *ret_depth)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth = 0;
	int r;

	r = member_chain(client, object, chain, &depth);
	if (r < 0)
		return r;
	if (contid == CANISTER_CONTID_UNSET ? depth != 0 : depth == 0 || chain[0] != contid)
		return malformed(client, "the chain does not begin with the contid");
	memcpy(ret_chain, chain, depth * sizeof(chain[0]));
	*ret_depth = depth;
	return 0;
}

/* An optional "name": absent means none, "" in *ret_name. */
static int member_name(struct canister_client *client, struct json_object *object,
		       char ret_name[CANISTER_NAME_MAX + 1])
{
	struct json_object *value;
	char why[128];

	if (!json_object_object_get_ex(object, "name", &value)) {
		ret_name[0] = '\0';
		return 0;
	}
	if (!json_object_is_type(value, json_type_string) || string_has_nul(value) ||
	    canister_name_check(json_object_get_string(value), why, sizeof(why)) < 0)
		return malformed(client, "a container name is not valid");
	strcpy(ret_name, json_object_get_string(value));
	return 0;
}

static int member_int(struct canister_client *client, struct json_object *object,
		      const char *member, int64_t min, int64_t max, int64_t *ret_value)
{
	struct json_object *value;
	int64_t number;

	if (!json_object_object_get_ex(object, member, &value) ||
	    !json_object_is_type(value, json_type_int))
		return malformed(client, member);
	errno = 0;
	number = json_object_get_int64(value);
	if (errno || number < min || number > max)
		return malformed(client, member);
	*ret_value = number;
	return 0;
}

static int member_bool(struct canister_client *client, struct json_object *object,
		       const char *member, bool *ret_value)
{
	struct json_object *value;

	if (!json_object_object_get_ex(object, member, &value) ||
	    !json_object_is_type(value, json_type_boolean))
		return malformed(client, member);
	*ret_value = json_object_get_boolean(value);
	return 0;
}

int canister_get_info(struct canister_client *client, pid_t pid, struct canister_info *ret_info)
{
	struct canister_request request = { .op = CANISTER_OP_GET, .pid = pid };
	struct canister_info info = { 0 };
	struct json_object *reply;
	uint64_t contid;
	bool delegated;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	r = member_contid(client, reply, true, &contid);
	if (r == 0)
		r = member_chain_of(client, reply, contid, info.chain, &info.depth);
	if (r == 0)
		r = member_name(client, reply, info.name);
	if (r == 0 && info.depth == 0 && info.name[0])
		r = malformed(client, "a name without a container");
	if (r == 0)
		r = member_bool(client, reply, "delegated", &delegated);
	json_object_put(reply);
	if (r < 0)
		return r;
	info.delegated = delegated;
	*ret_info = info;
	return 0;
}

int canister_get(struct canister_client *client, pid_t pid, uint64_t *ret_contid)
{
	struct canister_info info;
	int r;

	r = canister_get_info(client, pid, &info);
	if (r < 0)
		return r;
	*ret_contid = info.depth ? info.chain[0] : CANISTER_CONTID_UNSET;
	return 0;
}

int canister_register_reply(struct canister_client *client, pid_t pid, uint64_t contid,
			    const char *name, struct canister_registration *ret_registration)
{
	struct canister_request request = {
		.op = CANISTER_OP_SET,
		.pid = pid,
		.allocate = contid == CANISTER_CONTID_UNSET,
		.contid = contid,
	};
	struct canister_registration registration;
	struct json_object *reply;
	char why[128];
	int r;

	client->error[0] = '\0';
	if (name) {
		/* Refused here with the reason, rather than by canisterd after a round trip. */
		if (canister_name_check(name, why, sizeof(why)) < 0)
			return client_fail(client, -EINVAL, "%s", why);
		request.has_name = true;
		strcpy(request.name, name);
	}
	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	r = member_contid(client, reply, false, &registration.contid);
	/* A caller that named the container must not learn of another one as success. */
	if (r == 0 && !request.allocate && registration.contid != contid)
		r = malformed(client, "registered into another container than asked");
	if (r == 0)
		r = member_bool(client, reply, "joined", &registration.joined);
	json_object_put(reply);
	if (r < 0)
		return r;
	*ret_registration = registration;
	return 0;
}

int canister_register(struct canister_client *client, pid_t pid, uint64_t contid, const char *name,
		      uint64_t *ret_contid)
{
	struct canister_registration registration;
	int r;

	r = canister_register_reply(client, pid, contid, name, &registration);
	if (r < 0)
		return r;
	*ret_contid = registration.contid;
	return 0;
}

int canister_set(struct canister_client *client, pid_t pid, uint64_t contid, uint64_t *ret_contid)
{
	return canister_register(client, pid, contid, NULL, ret_contid);
}

int canister_delegate_reply(struct canister_client *client, pid_t pid, uint32_t *ret_delegation)
{
	struct canister_request request = { .op = CANISTER_OP_DELEGATE, .pid = pid };
	struct json_object *reply;
	int64_t delegation;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	/* 0 is the host's number in a container's owner, never a delegation's. */
	r = member_int(client, reply, "delegation", 1, UINT32_MAX, &delegation);
	json_object_put(reply);
	if (r < 0)
		return r;
	*ret_delegation = (uint32_t)delegation;
	return 0;
}

int canister_delegate(struct canister_client *client, pid_t pid)
{
	uint32_t delegation;

	return canister_delegate_reply(client, pid, &delegation);
}

int canister_audit_sink_add(struct canister_client *client, uint64_t contid,
			    const struct canister_sink_request *sink)
{
	struct canister_request request = { .op = CANISTER_OP_AUDIT_ADD, .contid = contid };
	struct json_object *reply;
	int r;

	request.sink = *sink;
	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	json_object_put(reply);
	return 0;
}

int canister_audit_sink_remove(struct canister_client *client, uint64_t contid)
{
	struct canister_request request = { .op = CANISTER_OP_AUDIT_REMOVE, .contid = contid };
	struct json_object *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	json_object_put(reply);
	return 0;
}

static int read_container(struct canister_client *client, struct json_object *object,
			  struct canister_container_entry *ret_entry)
{
	struct canister_container_entry entry = { 0 };
	int64_t processes, first_pid, owner, registered;
	uint64_t contid;
	int r;

	if (!json_object_is_type(object, json_type_object))
		return malformed(client, "a container is not an object");
	r = member_contid(client, object, false, &contid);
	if (r == 0)
		r = member_chain_of(client, object, contid, entry.chain, &entry.depth);
	if (r == 0)
		r = member_name(client, object, entry.name);
	if (r == 0)
		r = member_int(client, object, "processes", 0, INT64_MAX, &processes);
	if (r == 0)
		r = member_int(client, object, "first_pid", 1, INT_MAX, &first_pid);
	if (r == 0)
		r = member_int(client, object, "owner", 0, UINT32_MAX, &owner);
	if (r == 0)
		r = member_int(client, object, "registered", 0, INT64_MAX, &registered);
	if (r < 0)
		return r;
	entry.processes = (uint64_t)processes;
	entry.first_pid = (pid_t)first_pid;
	entry.owner = (uint32_t)owner;
	entry.registered = registered;
	*ret_entry = entry;
	return 0;
}

struct container_list {
	struct canister_container_entry *entries;
	size_t count, capacity;
};

static int container_list_append(struct container_list *list,
				 const struct canister_container_entry *entry)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 64;
		struct canister_container_entry *entries;

		entries = reallocarray(list->entries, capacity, sizeof(*entries));
		if (!entries)
			return -ENOMEM;
		list->entries = entries;
		list->capacity = capacity;
	}
	list->entries[list->count++] = *entry;
	return 0;
}

/*
 * One page of a list reply.  Contids must ascend across pages: that is what
 * makes "after" the resume point, and what ends the loop whatever the daemon
 * says about "more".
 */
static int read_list_page(struct canister_client *client, struct json_object *reply,
			  struct container_list *list, struct canister_request *request,
			  bool *ret_more)
{
	struct json_object *containers;
	size_t length;
	bool more;
	int r;

	if (!json_object_object_get_ex(reply, "containers", &containers) ||
	    !json_object_is_type(containers, json_type_array))
		return malformed(client, "no \"containers\" array");
	r = member_bool(client, reply, "more", &more);
	if (r < 0)
		return r;
	length = json_object_array_length(containers);
	if (more && length == 0)
		return malformed(client, "\"more\" with no containers");
	for (size_t i = 0; i < length; i++) {
		struct canister_container_entry entry;

		r = read_container(client, json_object_array_get_idx(containers, i), &entry);
		if (r < 0)
			return r;
		if (request->has_after && entry.chain[0] <= request->after)
			return malformed(client, "containers out of contid order");
		r = container_list_append(list, &entry);
		if (r < 0)
			return client_fail(client, r, "out of memory");
		request->has_after = true;
		request->after = entry.chain[0];
	}
	*ret_more = more;
	return 0;
}

int canister_list(struct canister_client *client, struct canister_container_entry **ret_entries,
		  size_t *ret_count)
{
	struct canister_request request = { .op = CANISTER_OP_LIST };
	struct container_list list = { 0 };
	bool more = true;
	int r = 0;

	while (more) {
		struct json_object *reply;

		r = transact(client, &request, &reply);
		if (r < 0)
			break;
		r = read_list_page(client, reply, &list, &request, &more);
		json_object_put(reply);
		if (r < 0)
			break;
	}
	if (r < 0) {
		free(list.entries);
		return r;
	}
	*ret_entries = list.entries;
	*ret_count = list.count;
	return 0;
}

int canister_status_json(struct canister_client *client, char **ret_json)
{
	struct canister_request request = { .op = CANISTER_OP_STATUS };
	struct json_object *reply;
	char *json;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	json = strdup(json_object_to_json_string_ext(
		reply, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(reply);
	if (!json)
		return client_fail(client, -ENOMEM, "out of memory");
	*ret_json = json;
	return 0;
}
