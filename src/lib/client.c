// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* libcanister: talk to canisterd over its control socket (for orchestrators and the CLI). */
#include <canister/canister.h>

#include "lib/contid.h"
#include "lib/errnames.h"
#include "lib/protocol.h"

#include <errno.h>
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
	reply = json_tokener_parse(in);
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

		if (json_object_object_get_ex(reply, "errno", &name))
			errnum = canister_errno_from_name(json_object_get_string(name));
		if (!errnum)
			errnum = EPROTO;
		json_object_object_get_ex(reply, "error", &message);
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

/* Replies carry contids as decimal strings, "unset" meaning no container. */
static int reply_contid(struct canister_client *client, struct json_object *reply,
			uint64_t *ret_contid)
{
	struct json_object *value;
	const char *text;

	if (!json_object_object_get_ex(reply, "contid", &value) ||
	    !json_object_is_type(value, json_type_string))
		return client_fail(client, -EPROTO, "canisterd's reply has no contid");
	text = json_object_get_string(value);
	if (strcmp(text, "unset") == 0) {
		*ret_contid = CANISTER_CONTID_UNSET;
		return 0;
	}
	if (canister_parse_contid(text, ret_contid) < 0)
		return client_fail(client, -EPROTO, "canisterd sent a malformed contid");
	return 0;
}

int canister_get(struct canister_client *client, pid_t pid, uint64_t *ret_contid)
{
	struct canister_request request = { .op = CANISTER_OP_GET, .pid = pid };
	struct json_object *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	r = reply_contid(client, reply, ret_contid);
	json_object_put(reply);
	return r;
}

int canister_set(struct canister_client *client, pid_t pid, uint64_t contid, uint64_t *ret_contid)
{
	struct canister_request request = {
		.op = CANISTER_OP_SET,
		.pid = pid,
		.allocate = contid == CANISTER_CONTID_UNSET,
		.contid = contid,
	};
	struct json_object *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	r = reply_contid(client, reply, ret_contid);
	json_object_put(reply);
	return r;
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
