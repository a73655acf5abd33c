// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the Unix control socket: accepts clients, identifies them, answers requests. */
#include "core/control.h"

#include "core/capability.h"
#include "core/control_limits.h"
#include "core/features.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/records.h"
#include "core/peer.h"
#include "core/requests.h"
#include "lib/errnames.h"
#include "lib/mkdir.h"
#include "lib/protocol.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct client {
	struct loop_source source; /* first: the epoll cookie points here */
	int fd;
	struct peer peer;
	struct control_caller caller; /* whose limits it counts against */
	uint64_t active_ms;	      /* its last request, or its accept */
	struct client *next;
};

static void control_accept(struct canisterd *d, struct loop_source *source);
static void control_serve(struct canisterd *d, struct loop_source *source);

static struct {
	struct loop_source listen_source;
	struct client *clients;
	unsigned int client_count;
	struct control_state limits;
	uint64_t identity_refused; /* connections whose caller could not be identified */
	uint64_t idle_closed;
	struct canisterd *d;	      /* for the refusal gate */
	const struct client *serving; /* the client whose request is being answered */
} control = { .listen_source = { .ready = control_accept } };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

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

/* How callers are identified, for `canister status` (feature peer_pidfd). */
static void probe_identification(struct canisterd *d)
{
	const struct peer_method *method = peer_probe();
	const char *hold = method->unix_diag
				   ? "; the caller must also hold the client end of its connection "
				     "(sock_diag UNIX_DIAG_PEER among /proc/PID/fd)"
				   : "";

	if (method->peerpidfd)
		feature_set(d, FEATURE_PEER_PIDFD, true,
			    "SO_PEERPIDFD names the connecting process itself%s", hold);
	else if (method->unix_diag)
		feature_set(
			d, FEATURE_PEER_PIDFD, false, "%s: callers are pinned by pid at accept%s",
			method->peerpidfd_off ? "SO_PEERPIDFD not used (CANISTERD_NO_PEERPIDFD=1)"
					      : "the kernel lacks SO_PEERPIDFD (Linux 6.5)",
			hold);
	else {
		feature_set(d, FEATURE_PEER_PIDFD, false,
			    "no SO_PEERPIDFD and %s: every control connection is refused, "
			    "since a caller's pid could be another process's",
			    method->unix_diag_error);
		log_warning("control socket: callers cannot be identified on this kernel "
			    "(no SO_PEERPIDFD, and %s); every connection will be refused",
			    method->unix_diag_error);
	}
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
	probe_identification(d);
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
	if (r < 0 || listen(fd, SOMAXCONN) < 0) {
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
	control.d = d;
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
	control_leave(&control.limits, &client->caller);
	peer_release(&client->peer);
	loop_remove(d, client->fd);
	close(client->fd);
	free(client);
}

/*
 * A refusal sent before the connection is closed: the client reads it as the
 * answer to its first request (libcanister also looks for it when its send
 * finds the connection closed).
 */
static void send_refusal(int fd, int errnum, const char *why)
{
	static struct canister_reply refusal;
	static char text[CANISTER_REPLY_MAX + 1];
	int len;

	memset(&refusal, 0, sizeof(refusal));
	refusal.op = CANISTER_OP_STATUS;
	refusal.ok = false;
	/* The wire carries errno names; one the protocol does not know becomes EIO. */
	refusal.error.errnum = canister_errno_name(errnum) ? errnum : EIO;
	snprintf(refusal.error.message, sizeof(refusal.error.message), "%s", why);
	len = canister_reply_encode(&refusal, text, sizeof(text));
	if (len > 0)
		(void)!send(fd, text, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/*
 * Requests already sent are read and dropped first: closing a socket with
 * unread data makes the client's next recv() fail with ECONNRESET before it
 * reads the refusal.  Bounded: a client that keeps sending gets the reset.
 */
static void refuse_connection(int fd, int errnum, const char *why)
{
	char discard[CANISTER_REQUEST_MAX + 1];

	for (int i = 0; i < 16; i++)
		if (recv(fd, discard, sizeof(discard), MSG_DONTWAIT | MSG_TRUNC) <= 0)
			break;
	send_refusal(fd, errnum, why);
	close(fd);
}

/*
 * Whose limits @peer counts against.  Its label is looked up by pid, so the
 * pinned process must still be alive afterwards for the answer to be its own.
 */
static int classify(struct canisterd *d, const struct peer *peer, struct control_caller *ret,
		    char *why, size_t why_len)
{
	uint64_t contid;
	int r = capabilities_caller_container(d, peer, &contid);

	if (r == 0 && !peer_alive(peer)) {
		snprintf(why, why_len, "caller pid %d exited before it could be identified",
			 (int)peer->tgid);
		return -ESRCH;
	}
	if (r < 0) {
		snprintf(why, why_len, "cannot tell the container of caller pid %d: %s",
			 (int)peer->tgid, strerror(-r));
		return r;
	}
	if (contid != CANISTER_CONTID_UNSET)
		*ret = (struct control_caller){ .class = CONTROL_CONTAINER, .id = contid };
	else if (peer->uid == 0)
		*ret = (struct control_caller){ .class = CONTROL_HOST };
	else
		*ret = (struct control_caller){ .class = CONTROL_UID, .id = peer->uid };
	return 0;
}

/*
 * A caller that exited before it was identified costs an attacker only a
 * fork: that is said at debug level, or a loop of them would flood the log.
 * The rest come after the limits admitted the connection, so at a bounded rate.
 */
static void log_unidentified(int r, const char *why)
{
	if (r == -ESRCH)
		log_debug("refused a control connection: cannot identify the caller: %s", why);
	else
		log_info("refused a control connection: cannot identify the caller: %s", why);
}

/*
 * Connections accepted per wake-up: the listening socket stays readable
 * (level-triggered) for the rest, so a connect flood cannot hold the main
 * loop here while the ring buffer, the audit stream and the ticks wait.
 */
#define CONTROL_ACCEPTS_PER_WAKEUP 32

static void control_accept(struct canisterd *d, struct loop_source *source)
{
	for (int accepted = 0; accepted < CONTROL_ACCEPTS_PER_WAKEUP; accepted++) {
		struct client *client;
		char why[384];
		int fd, r;

		fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_warning("accept on the control socket: %s", strerror(errno));
			return;
		}
		client = calloc(1, sizeof(*client));
		if (!client) {
			close(fd);
			continue;
		}
		client->fd = fd;
		client->source.ready = control_serve;
		r = peer_identify(fd, &client->peer, why, sizeof(why));
		if (r < 0) {
			control.identity_refused++;
			log_unidentified(r, why);
			refuse_connection(fd, -r == ESRCH ? EPERM : -r, why);
			free(client);
			continue;
		}
		/*
		 * The limits come before the costly proof of identity, so that a
		 * flood of connections is refused cheaply.  A recycled pid may
		 * class the connection wrongly until then; the proof refuses it.
		 */
		r = classify(d, &client->peer, &client->caller, why, sizeof(why));
		if (r == 0) {
			r = control_admit(&control.limits, &d->config.control, &client->caller,
					  now_ms(), why, sizeof(why));
			if (r < 0) {
				/* Not at info: a flood of these would flood the daemon's log. */
				log_debug("refused a control connection from pid %d: %s",
					  (int)client->peer.tgid, why);
				peer_release(&client->peer);
				refuse_connection(fd, EAGAIN, why);
				free(client);
				continue;
			}
			r = peer_verify(fd, &client->peer, why, sizeof(why));
			if (r < 0)
				control_leave(&control.limits, &client->caller);
		}
		if (r < 0) {
			control.identity_refused++;
			log_unidentified(r, why);
			peer_release(&client->peer);
			refuse_connection(fd, -r == ESRCH ? EPERM : -r, why);
			free(client);
			continue;
		}
		client->active_ms = now_ms();
		/*
		 * A datagram larger than the socket's send buffer is refused
		 * (EMSGSIZE), and the largest reply is larger than the default
		 * one: root may exceed wmem_max, and the kernel doubles the value.
		 */
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &(int){ CANISTER_REPLY_MAX },
			       sizeof(int)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ CANISTER_REPLY_MAX },
				   sizeof(int));
		if (loop_add(d, fd, &client->source) < 0) {
			control_leave(&control.limits, &client->caller);
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

/* Whether the refusal being recorded for the client being served may be written. */
static bool refusal_gate(void *ctx)
{
	if (!control.serving || !control.d)
		return true;
	return control_record_refusal(&control.limits, &control.d->config.control,
				      &control.serving->caller, now_ms());
}

/*
 * One request, and the one descriptor it may pass (SCM_RIGHTS) into *@ret_fd:
 * only a model-load uses it (protocol.h).  Every other descriptor received is
 * closed here: the kernel installs as many as the control buffer holds, and
 * CMSG_SPACE(sizeof(int)) is padded to room for two on 64-bit.
 */
static ssize_t receive(int fd, char *buf, size_t len, int *ret_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cmsgs;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cmsgs.buf,
		.msg_controllen = sizeof(cmsgs.buf),
	};
	ssize_t got = recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (got < 0)
		return got;
	for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		size_t count;

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int passed;

			memcpy(&passed, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
			if (*ret_fd < 0 && count == 1)
				*ret_fd = passed;
			else
				close(passed);
		}
	}
	return got;
}

static void serve(struct canisterd *d, struct client *client, const char *buf, ssize_t got,
		  int passed)
{
	static struct canister_reply reply;
	/* Static: an integrity-policy request may be as large as its policy (protocol.h). */
	static struct canister_request request;
	char why[256];
	int r;

	memset(&reply, 0, sizeof(reply));
	client->active_ms = now_ms();
	/* Every datagram costs, a malformed one too; the refusal is counted, not recorded. */
	r = control_request(&control.limits, &d->config.control, &client->caller, client->active_ms,
			    why, sizeof(why));
	if (r < 0) {
		reply.op = CANISTER_OP_STATUS;
		reply.ok = false;
		reply.error.errnum = EAGAIN;
		snprintf(reply.error.message, sizeof(reply.error.message), "%s", why);
		send_reply(d, client, &reply);
		return;
	}
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
	/* The handler reads a passed descriptor and does not keep it: it is closed after. */
	request.model.fd = request.op == CANISTER_OP_MODEL_LOAD ? passed : -1;
	log_debug("control request '%s' from pid %d", canister_op_name(request.op),
		  (int)client->peer.tgid);
	control.serving = client;
	records_set_refusal_gate(refusal_gate, NULL);
	request_handle(d, &client->peer, &request, &reply);
	records_set_refusal_gate(NULL, NULL);
	control.serving = NULL;
	send_reply(d, client, &reply);
}

static void control_serve(struct canisterd *d, struct loop_source *source)
{
	static char buf[CANISTER_REQUEST_LARGE_MAX + 1];
	struct client *client = (struct client *)source;
	ssize_t got;

	int passed = -1;

	got = receive(client->fd, buf, sizeof(buf), &passed);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		/* An empty datagram may pass a descriptor too. */
		if (passed >= 0)
			close(passed);
		drop_client(d, client);
		return;
	}
	serve(d, client, buf, got, passed);
	if (passed >= 0)
		close(passed);
}

/* Write the summary records that are due (all of them with @flush). */
static void write_summaries(bool flush)
{
	struct control_caller caller;
	struct control_folded folded;
	uint64_t now = now_ms();

	while (control_next_summary(&control.limits, &control.d->config.control, now, flush,
				    &caller, &folded)) {
		struct canister_record_stamp when;
		char buf[CANISTER_RECORD_MAX + 1];

		records_stamp(0, &when);
		records_write("CONTAINER_REFUSALS",
			      control_format_summary_record(&when, &caller, &folded, now, buf,
							    sizeof(buf)),
			      buf, CANISTER_CONTID_UNSET);
		log_info("control socket: %s %" PRIu64 " refused %" PRIu64 " times (%" PRIu64
			 " requests refused, %" PRIu64 " over the request rate, %" PRIu64
			 " connections) without a record each",
			 caller.class == CONTROL_CONTAINER ? "container" : "uid", caller.id,
			 folded.refused + folded.throttled + folded.connections, folded.refused,
			 folded.throttled, folded.connections);
	}
}

void control_tick(struct canisterd *d)
{
	uint64_t timeout_ms = (uint64_t)d->config.control.idle_timeout * 1000;
	uint64_t now = now_ms();

	if (!control.d)
		return;
	if (timeout_ms) {
		struct client *next;

		for (struct client *client = control.clients; client; client = next) {
			char why[128];

			next = client->next;
			if (now - client->active_ms < timeout_ms)
				continue;
			snprintf(why, sizeof(why),
				 "canisterd closed the connection after %u s without a request "
				 "(control_idle_timeout)",
				 d->config.control.idle_timeout);
			log_debug("control client pid %d: %s", (int)client->peer.tgid, why);
			control.idle_closed++;
			/* Told why, in case it sends again; then closed as any other. */
			send_refusal(client->fd, ENOTCONN, why);
			drop_client(d, client);
		}
	}
	write_summaries(false);
}

void control_counters(struct control_counters *ret)
{
	const struct control_totals *totals = &control.limits.totals;

	*ret = (struct control_counters){
		.connections = control.client_count,
		.host_connections = control.limits.host_connections,
		.accepted = totals->accepted,
		.refused_connections = totals->refused_connections + control.identity_refused,
		.unidentified = control.identity_refused,
		.idle_closed = control.idle_closed,
		.throttled_requests = totals->throttled_requests,
		.refusals_recorded = totals->refusals_recorded,
		.refusals_folded = totals->refusals_folded,
		.summaries = totals->summaries,
	};
}

void control_close(struct canisterd *d)
{
	while (control.clients)
		drop_client(d, control.clients);
	if (control.d)
		write_summaries(true);
	if (d->listen_fd >= 0) {
		loop_remove(d, d->listen_fd);
		close(d->listen_fd);
		d->listen_fd = -1;
		unlink(d->config.control_socket);
	}
}
