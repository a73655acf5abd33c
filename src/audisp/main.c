// SPDX-License-Identifier: GPL-2.0-only
/* canister-audisp: auditd's plugin that relays its events to canisterd; never holds auditd up. */
#include "audit/relay_buffer.h"
#include "lib/config.h"

#include "version.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/*
 * auditd (3.x) starts this from plugins.d/canister.conf with every record on
 * stdin (format = string), and writes to it from its dispatcher thread with
 * a blocking write: a plugin that stops reading fills auditd's queue, and
 * then each event costs auditd's main loop up to 8 ms before it is dropped
 * for every plugin.  So stdin is read as soon as anything is there, always,
 * and what canisterd does not take (it is stopped, restarting, or slow) waits
 * in a bounded queue (relay_buffer.h) and beyond it is dropped, counted, and
 * reported to canisterd in the stream.  A plugin that exits is restarted by
 * auditd at most max_restarts times, then never: this one does not exit for
 * anything canisterd does, only when auditd closes its stdin or stops it.
 *
 * Usage (auditd's args = ...): canister-audisp [SOCKET], SOCKET defaulting to
 * canisterd's auditd_plugin_socket default.
 */
#define QUEUE_BYTES (8 * 1024 * 1024)
#define READ_SIZE (64 * 1024)
#define RECONNECT_MS 500
/* At auditd's stop: how long what is queued may take to reach canisterd. */
#define DRAIN_MS 2000

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_to(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends what is queued, as much as the socket takes now.  False: the connection is gone. */
static bool send_some(int fd, struct relay_buffer *queue)
{
	for (;;) {
		size_t len;
		const char *pending = relay_buffer_pending(queue, &len);
		ssize_t n;

		if (!pending)
			return true;
		n = send(fd, pending, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN;
		relay_buffer_sent(queue, (size_t)n);
	}
}

/* canisterd sends nothing; a read that ends says it closed the connection. */
static bool still_open(int fd)
{
	char scratch[256];
	ssize_t n;

	do
		n = recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT);
	while (n > 0 || (n < 0 && errno == EINTR));
	return n < 0 && errno == EAGAIN;
}

#define USAGE                                                                    \
	"usage: canister-audisp [SOCKET] (started by auditd, events on stdin)\n" \
	"       canister-audisp --version | --help\n"

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : CANISTER_DEFAULT_AUDITD_PLUGIN_SOCKET;
	struct sigaction sa = { .sa_handler = on_stop };
	struct relay_buffer queue;
	static char in[READ_SIZE];
	int64_t next_try = 0, drain_until = 0;
	uint64_t reported_lost = 0;
	bool input_open = true;
	int conn = -1;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf(USAGE
		       "Relays the events auditd hands its plugins (plugins.d/canister.conf) to\n"
		       "canisterd at SOCKET (default %s), so that canisterd adds CONTAINER_ID\n"
		       "records beside a running auditd.  See canisterd(8), kernel_audit = auto.\n",
		       CANISTER_DEFAULT_AUDITD_PLUGIN_SOCKET);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("canister-audisp " CANISTER_VERSION "\n");
		return 0;
	}
	if (argc > 2 || (argc == 2 && path[0] != '/')) {
		fprintf(stderr, USAGE);
		return 2;
	}
	openlog("canister-audisp", LOG_PID, LOG_DAEMON);
	/* auditd passes its SIGHUP on to plugins at a reload: not a reason to go. */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (relay_buffer_init(&queue, QUEUE_BYTES) < 0) {
		syslog(LOG_ERR, "out of memory");
		return 1;
	}
	for (;;) {
		struct pollfd fds[2] = { { .fd = input_open && !stop ? 0 : -1, .events = POLLIN },
					 { .fd = conn, .events = POLLIN } };
		size_t pending_len;
		int64_t now = now_ms();
		int timeout = -1;

		if ((stop || !input_open) && !drain_until)
			drain_until = now + DRAIN_MS;
		if (drain_until &&
		    (now >= drain_until || !relay_buffer_pending(&queue, &pending_len)))
			break;
		if (conn < 0 && now >= next_try) {
			conn = connect_to(path);
			next_try = now + RECONNECT_MS;
			if (conn >= 0) {
				relay_buffer_reconnected(&queue);
				syslog(LOG_INFO, "connected to canisterd on %s", path);
			}
			fds[1].fd = conn;
		}
		if (conn >= 0 && relay_buffer_pending(&queue, &pending_len))
			fds[1].events |= POLLOUT;
		if (conn < 0)
			timeout = (int)(next_try - now);
		if (drain_until && (timeout < 0 || timeout > drain_until - now))
			timeout = (int)(drain_until - now);
		if (poll(fds, 2, timeout) < 0 && errno != EINTR)
			break;
		if (fds[0].revents) {
			ssize_t n = read(0, in, sizeof(in));

			if (n > 0)
				relay_buffer_take(&queue, in, (size_t)n);
			else if (n == 0 || errno != EINTR)
				input_open = false;
		}
		if (conn >= 0 &&
		    (((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !still_open(conn)) ||
		     !send_some(conn, &queue))) {
			syslog(LOG_WARNING, "canisterd closed the connection; keeping up to %d MiB",
			       QUEUE_BYTES >> 20);
			close(conn);
			conn = -1;
		}
		if (queue.lost_total != reported_lost && queue.lost_total - reported_lost >= 1000) {
			syslog(LOG_WARNING,
			       "%" PRIu64 " records dropped so far: canisterd is not taking them",
			       queue.lost_total);
			reported_lost = queue.lost_total;
		}
	}
	if (queue.lost_total)
		syslog(LOG_WARNING, "%" PRIu64 " records dropped in all", queue.lost_total);
	if (conn >= 0)
		close(conn);
	relay_buffer_free(&queue);
	return 0;
}
