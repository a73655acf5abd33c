// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the Unix control socket: accepts clients, identifies them, answers requests. */
#include "core/control.h"

#include "core/log.h"
#include "core/mainloop.h"
#include "core/peer.h"
#include "core/requests.h"
#include "lib/mkdir.h"
#include "lib/protocol.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* A local process opening connections without end must not exhaust our fds. */
#define MAX_CLIENTS 64

struct client {
	struct loop_source source; /* first: the epoll cookie points here */
	int fd;
	struct peer peer;
	struct client *next;
};

static void control_accept(struct canisterd *d, struct loop_source *source);
static void control_serve(struct canisterd *d, struct loop_source *source);

static struct {
	struct loop_source listen_source;
	struct client *clients;
	unsigned int client_count;
} control = { .listen_source = { .ready = control_accept } };

static int socket_address(const char *path, struct sockaddr_un *ret_addr)
{
	memset(ret_addr, 0, sizeof(*ret_addr));
	ret_addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(ret_addr->sun_path))
		return -ENAMETOOLONG;
	strcpy(ret_addr->sun_path, path);
	return 0;
}

bool control_daemon_running(const char *socket_path)
{
	struct sockaddr_un addr;
	bool running;
	int fd;

	if (socket_address(socket_path, &addr) < 0)
		return false;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	running = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return running;
}

int control_open(struct canisterd *d, char *why, size_t why_len)
{
	const char *path = d->config.control_socket;
	struct sockaddr_un addr;
	struct stat st;
	int fd, r;

	r = socket_address(path, &addr);
	if (r < 0) {
		snprintf(why, why_len, "control socket path %s is too long", path);
		return r;
	}
	if (control_daemon_running(path)) {
		snprintf(why, why_len, "another canisterd already answers on %s", path);
		return -EADDRINUSE;
	}
	r = canister_mkdir_parent(path, 0755);
	if (r < 0) {
		snprintf(why, why_len, "cannot create the directory of %s: %s", path, strerror(-r));
		return r;
	}
	/* Only a socket nobody answers on is removed; a file of another kind is left alone. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(why, why_len, "%s exists and is not a socket", path);
			return -EEXIST;
		}
		unlink(path);
	}

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		snprintf(why, why_len, "socket: %s", strerror(errno));
		return r;
	}
	/* Created owner-only from the start, so no client can slip in before a chmod. */
	mode_t old_umask = umask(0177);

	r = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_umask);
	if (r < 0 || listen(fd, 16) < 0) {
		r = -errno;
		snprintf(why, why_len, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return r;
	}
	r = loop_add(d, fd, &control.listen_source);
	if (r < 0) {
		snprintf(why, why_len, "cannot watch %s: %s", path, strerror(-r));
		close(fd);
		return r;
	}
	d->listen_fd = fd;
	return 0;
}

static void drop_client(struct canisterd *d, struct client *client)
{
	for (struct client **p = &control.clients; *p; p = &(*p)->next) {
		if (*p == client) {
			*p = client->next;
			break;
		}
	}
	control.client_count--;
	peer_release(&client->peer);
	loop_remove(d, client->fd);
	close(client->fd);
	free(client);
}

static void control_accept(struct canisterd *d, struct loop_source *source)
{
	for (;;) {
		struct client *client;
		char why[256];
		int fd;

		fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_warning("accept on the control socket: %s", strerror(errno));
			return;
		}
		if (control.client_count >= MAX_CLIENTS) {
			log_warning("refused a control connection: %d clients already "
				    "connected",
				    MAX_CLIENTS);
			close(fd);
			continue;
		}
		client = calloc(1, sizeof(*client));
		if (!client) {
			close(fd);
			continue;
		}
		client->fd = fd;
		client->source.ready = control_serve;
		/*
		 * A datagram larger than the socket's send buffer is refused
		 * (EMSGSIZE), and the largest reply is larger than the default
		 * one: root may exceed wmem_max, and the kernel doubles the value.
		 */
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &(int){ CANISTER_REPLY_MAX },
			       sizeof(int)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ CANISTER_REPLY_MAX },
				   sizeof(int));
		if (peer_identify(fd, &client->peer, why, sizeof(why)) < 0) {
			log_info("refused a control connection: cannot identify the peer: %s", why);
			close(fd);
			free(client);
			continue;
		}
		if (loop_add(d, fd, &client->source) < 0) {
			peer_release(&client->peer);
			close(fd);
			free(client);
			continue;
		}
		client->next = control.clients;
		control.clients = client;
		control.client_count++;
		log_debug("control connection from pid %d (uid %u)", (int)client->peer.tgid,
			  (unsigned)client->peer.uid);
	}
}

/*
 * The one place a reply becomes JSON.  Both buffers are static: the main loop
 * answers one request at a time, and a status or a list page is too large
 * for the stack.
 */
static void send_reply(struct canisterd *d, struct client *client,
		       const struct canister_reply *reply)
{
	static char text[CANISTER_REPLY_MAX + 1];
	int len = canister_reply_encode(reply, text, sizeof(text));

	if (len < 0) {
		static struct canister_reply failure;

		/* A bug or a lack of memory, not the client's fault: it learns why. */
		log_warning("cannot encode the reply to '%s' for pid %d: %s",
			    canister_op_name(reply->op), (int)client->peer.tgid, strerror(-len));
		failure.op = reply->op;
		failure.ok = false;
		failure.error.errnum = EIO;
		snprintf(failure.error.message, sizeof(failure.error.message),
			 "canisterd could not encode its reply: %s", strerror(-len));
		len = canister_reply_encode(&failure, text, sizeof(text));
		if (len < 0) {
			drop_client(d, client);
			return;
		}
	}
	/* A client that does not read its replies is not waited for. */
	if (send(client->fd, text, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL) != len) {
		log_debug("dropping control client pid %d: reply not delivered: %s",
			  (int)client->peer.tgid, strerror(errno));
		drop_client(d, client);
	}
}

static void control_serve(struct canisterd *d, struct loop_source *source)
{
	static struct canister_reply reply;
	struct client *client = (struct client *)source;
	struct canister_request request;
	char buf[CANISTER_REQUEST_MAX + 1], why[256];
	ssize_t got;
	int r;

	got = recv(client->fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		drop_client(d, client);
		return;
	}
	memset(&reply, 0, sizeof(reply));
	/* With MSG_TRUNC, got is the datagram's full length: an oversized one is refused whole. */
	r = canister_request_decode(buf, got, &request, why, sizeof(why));
	if (r < 0) {
		log_info("bad control request from pid %d: %s", (int)client->peer.tgid, why);
		/* Nothing says which op it was; a refusal reads the same for all of them. */
		reply.op = CANISTER_OP_STATUS;
		reply.ok = false;
		reply.error.errnum = -r;
		snprintf(reply.error.message, sizeof(reply.error.message), "%s", why);
		send_reply(d, client, &reply);
		return;
	}
	log_debug("control request '%s' from pid %d", canister_op_name(request.op),
		  (int)client->peer.tgid);
	request_handle(d, &client->peer, &request, &reply);
	send_reply(d, client, &reply);
}

void control_close(struct canisterd *d)
{
	while (control.clients)
		drop_client(d, control.clients);
	if (d->listen_fd >= 0) {
		loop_remove(d, d->listen_fd);
		close(d->listen_fd);
		d->listen_fd = -1;
		unlink(d->config.control_socket);
	}
}
