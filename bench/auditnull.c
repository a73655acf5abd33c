// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark helper for bench/audit-throughput: the least an audit daemon can
 * do, to measure what the kernel delivers on this machine (the ceiling).
 *
 * Registers as the kernel's audit daemon, receives every record, up to 64 at
 * a time with recvmmsg(2) (fewer system calls than any daemon that writes a
 * log), and throws it away, counting only the SYSCALL records that carry
 * key="KEY".  It writes that count to COUNTFILE (at offset 0, "N\n") every
 * 1000 records and whenever the stream goes quiet, so that a storm reading
 * the file sees its last event arrive within a millisecond.  SIGTERM or
 * SIGINT: it unregisters and exits 0.
 *
 *   auditnull KEY COUNTFILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaudit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

static void publish(int fd, unsigned long count)
{
	char line[32];
	int len = snprintf(line, sizeof(line), "%lu\n", count);

	if (pwrite(fd, line, (size_t)len, 0) != len)
		perror("auditnull: pwrite");
}

#define BATCH 64
#define SLOT (MAX_AUDIT_MESSAGE_LENGTH + NLMSG_HDRLEN + 64)

int main(int argc, char **argv)
{
	static char buffers[BATCH][SLOT];
	struct mmsghdr headers[BATCH];
	struct iovec iovs[BATCH];
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long count = 0, published = 0;
	char needle[300];
	int nl, out;

	if (argc != 3) {
		fprintf(stderr, "usage: auditnull KEY COUNTFILE\n");
		return 2;
	}
	snprintf(needle, sizeof(needle), " key=\"%s\"", argv[1]);
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		fprintf(stderr, "auditnull: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	publish(out, 0);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	nl = audit_open();
	if (nl < 0 || audit_set_pid(nl, (uint32_t)getpid(), WAIT_YES) <= 0) {
		fprintf(stderr, "auditnull: cannot become the audit daemon\n");
		return 1;
	}
	if (setsockopt(nl, SOL_SOCKET, SO_RCVBUFFORCE, &(int){ 16 << 20 }, sizeof(int)) < 0)
		perror("auditnull: SO_RCVBUFFORCE");
	while (!stopping) {
		int got;

		for (int i = 0; i < BATCH; i++) {
			iovs[i] = (struct iovec){ .iov_base = buffers[i], .iov_len = SLOT - 1 };
			headers[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iovs[i],
								    .msg_iovlen = 1 } };
		}
		got = recvmmsg(nl, headers, BATCH, MSG_DONTWAIT, NULL);
		if (got < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = nl, .events = POLLIN };

			if (count != published) {
				publish(out, count);
				published = count;
			}
			poll(&pfd, 1, 100);
			continue;
		}
		for (int i = 0; i < got; i++) {
			const struct nlmsghdr *nlh = (const struct nlmsghdr *)buffers[i];

			if (headers[i].msg_len < NLMSG_HDRLEN || nlh->nlmsg_type != AUDIT_SYSCALL)
				continue;
			buffers[i][headers[i].msg_len] = '\0';
			if (strstr(buffers[i] + NLMSG_HDRLEN, needle) && ++count % 1000 == 0) {
				publish(out, count);
				published = count;
			}
		}
	}
	audit_set_pid(nl, 0, WAIT_NO);
	audit_close(nl);
	return 0;
}
