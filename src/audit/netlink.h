/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: reads the kernel's audit netlink socket in batches, one system call for many. */
#ifndef CANISTERD_AUDIT_NETLINK_H
#define CANISTERD_AUDIT_NETLINK_H

#include <stddef.h>
#include <stdint.h>

/* Messages read with one recvmmsg(2), and the room for each (the kernel's stay well under). */
#define NETLINK_BATCH 64
#define NETLINK_MESSAGE_MAX (16 * 1024)

struct netlink_counters {
	uint64_t messages;  /* read */
	uint64_t overruns;  /* ENOBUFS: the kernel dropped records on our socket */
	uint64_t truncated; /* a message longer than NETLINK_MESSAGE_MAX, cut to it */
};

struct netlink_reader;

/* netlink_reader_new() - buffers for reading @fd.  Returns 0 or -ENOMEM. */
int netlink_reader_new(int fd, struct netlink_reader **ret);
void netlink_reader_free(struct netlink_reader *reader);

/*
 * netlink_read() - read what waits on the socket, at most NETLINK_BATCH
 * messages, without blocking, and hand each to @fn: its netlink type and
 * its text (@len bytes, not NUL-terminated).  Returns the number read (0:
 * nothing waits), or -errno of recvmmsg(2) other than EAGAIN; an overrun
 * (ENOBUFS) is counted and reading goes on.
 */
int netlink_read(struct netlink_reader *reader,
		 void (*fn)(int type, const char *text, size_t len, void *ctx), void *ctx);

void netlink_counters(const struct netlink_reader *reader, struct netlink_counters *ret);

#endif
