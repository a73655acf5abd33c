// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: auditd's events from canister-audisp, its plugin, when auditd holds the stream. */
#include "audit/auditd_feed.h"

#include "audit/auditd_line.h"
#include "audit/relay_buffer.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/peer.h"
#include "lib/mkdir.h"
#include "lib/procfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Reads per wake-up before the loop serves anything else; each up to READ_SIZE bytes. */
#define READS_PER_WAKEUP 16
#define READ_SIZE (256 * 1024)
/* A line auditd writes is at most about 9 KiB; room for the relay's longest. */
#define LINE_MAX_BYTES RELAY_LINE_MAX

static struct {
	struct canisterd *d;
	struct auditd_feed_ops ops;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd, conn_fd;
	struct loop_source listen_source, conn_source;
	char *in;      /* READ_SIZE + LINE_MAX_BYTES: a partial line, then what was read */
	size_t in_len; /* the partial line kept from the last read */
	bool skipping; /* inside a line too long to be auditd's, up to its newline */
	struct auditd_feed_counters counters;
} feed = { .listen_fd = -1, .conn_fd = -1 };

static void hang_up(const char *why)
{
	if (feed.conn_fd < 0)
		return;
	if (feed.in_len || feed.skipping)
		feed.counters.cut_at_close++;
	log_info("kernel audit: canister-audisp (pid %d) disconnected: %s",
		 (int)feed.counters.relay_pid, why);
	loop_remove(feed.d, feed.conn_fd);
	close(feed.conn_fd);
	feed.conn_fd = -1;
	feed.in_len = 0;
	feed.skipping = false;
	feed.counters.connected = false;
	feed.counters.relay_pid = 0;
}

static void take_line(const char *line, size_t len)
{
	struct auditd_line parsed;

	if (auditd_line_parse(line, len, &parsed) < 0) {
		feed.counters.bad_lines++;
		return;
	}
	if (parsed.kind == AUDITD_LINE_LOST) {
		feed.counters.relay_lost += parsed.lost;
		feed.ops.lost(parsed.lost);
		return;
	}
	feed.counters.records++;
	feed.ops.message(parsed.type, parsed.body, parsed.body_len);
}

/* What was read (after the partial line kept at the front): each whole line, the rest kept. */
static void take_lines(size_t read_len)
{
	char *p = feed.in, *end = feed.in + feed.in_len + read_len;

	while (p < end) {
		char *newline = memchr(p, '\n', (size_t)(end - p));

		if (!newline)
			break;
		if (feed.skipping)
			feed.skipping = false;
		else
			take_line(p, (size_t)(newline - p));
		p = newline + 1;
	}
	feed.in_len = (size_t)(end - p);
	if (feed.skipping) {
		feed.in_len = 0;
	} else if (feed.in_len > LINE_MAX_BYTES) {
		feed.counters.bad_lines++;
		feed.skipping = true;
		feed.in_len = 0;
	} else {
		memmove(feed.in, p, feed.in_len);
	}
}

static void conn_ready(struct canisterd *d, struct loop_source *source)
{
	for (int i = 0; i < READS_PER_WAKEUP && feed.conn_fd >= 0; i++) {
		ssize_t n = recv(feed.conn_fd, feed.in + feed.in_len, READ_SIZE, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			hang_up(n == 0 ? "it closed the connection" : strerror(errno));
			break;
		}
		take_lines((size_t)n);
		if ((size_t)n < READ_SIZE)
			break;
	}
	feed.ops.batch_done();
}

/* Only auditd's own child, as root, may feed canister's log. */
static int relay_allowed(int fd, pid_t *ret_pid, char *why, size_t why_len)
{
	uint32_t auditd = feed.ops.audit_pid();
	struct peer peer;
	pid_t parent = 0;
	int r = peer_identify(fd, &peer, why, why_len);

	if (r < 0)
		return r;
	r = peer_verify(fd, &peer, why, why_len);
	if (r < 0)
		goto out;
	if (peer.uid != 0) {
		snprintf(why, why_len, "pid %d is not root", (int)peer.tgid);
		r = -EPERM;
	} else if (canister_proc_ppid(peer.tgid, &parent) < 0 || !auditd ||
		   (uint32_t)parent != auditd) {
		snprintf(why, why_len, "pid %d's parent (%d) is not the audit daemon (pid %u)",
			 (int)peer.tgid, (int)parent, auditd);
		r = -EPERM;
	} else if (!peer_alive(&peer)) {
		snprintf(why, why_len, "pid %d exited", (int)peer.tgid);
		r = -ESRCH;
	}
	if (r == 0)
		*ret_pid = peer.tgid;
out:
	peer_release(&peer);
	return r;
}

static void listen_ready(struct canisterd *d, struct loop_source *source)
{
	char why[256];
	pid_t pid = 0;
	int fd = accept4(feed.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	int r;

	if (fd < 0)
		return;
	if (relay_allowed(fd, &pid, why, sizeof(why)) < 0) {
		feed.counters.refused++;
		log_warning("kernel audit: refused a connection to %s: %s", feed.path, why);
		close(fd);
		return;
	}
	/* auditd restarted its plugin: the new one is the one to read. */
	hang_up("a new canister-audisp connected");
	feed.conn_fd = fd;
	feed.conn_source.ready = conn_ready;
	r = loop_add(d, fd, &feed.conn_source);
	if (r < 0) {
		log_warning("kernel audit: canister-audisp: %s", strerror(-r));
		close(fd);
		feed.conn_fd = -1;
		return;
	}
	feed.counters.connected = true;
	feed.counters.relay_pid = pid;
	feed.counters.connections++;
	log_info("kernel audit: canister-audisp (pid %d, auditd's plugin) connected", (int)pid);
}

int auditd_feed_open(struct canisterd *d, const char *path, const struct auditd_feed_ops *ops,
		     char *why, size_t why_len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r;

	feed.d = d;
	feed.ops = *ops;
	snprintf(feed.path, sizeof(feed.path), "%s", path);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	feed.in = malloc(READ_SIZE + LINE_MAX_BYTES);
	if (!feed.in)
		return -ENOMEM;
	r = canister_mkdir_parent(path, 0755);
	if (r < 0) {
		snprintf(why, why_len, "auditd_plugin_socket %s: %s", path, strerror(-r));
		return r;
	}
	/* A stale socket of an earlier run is replaced; anything else is not ours to remove. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(why, why_len,
				 "auditd_plugin_socket %s: exists and is not a socket", path);
			return -EEXIST;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, 4) < 0) {
		r = -errno;
		snprintf(why, why_len, "auditd_plugin_socket %s: %s", path, strerror(-r));
		close(fd);
		return r;
	}
	feed.listen_fd = fd;
	feed.listen_source.ready = listen_ready;
	r = loop_add(d, fd, &feed.listen_source);
	if (r < 0)
		snprintf(why, why_len, "auditd_plugin_socket %s: %s", path, strerror(-r));
	return r;
}

void auditd_feed_close(struct canisterd *d)
{
	if (feed.conn_fd >= 0) {
		/* What it already sent is read before the connection goes. */
		conn_ready(d, &feed.conn_source);
		hang_up("canisterd stops");
	}
	if (feed.listen_fd >= 0) {
		loop_remove(d, feed.listen_fd);
		close(feed.listen_fd);
		feed.listen_fd = -1;
		unlink(feed.path);
	}
	free(feed.in);
	feed.in = NULL;
	feed.in_len = 0;
}

void auditd_feed_counters(struct auditd_feed_counters *ret)
{
	*ret = feed.counters;
}

int auditd_feed_conn_fd(void)
{
	return feed.conn_fd;
}
