// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: reads the kernel's audit netlink socket in batches, one system call for many. */
#include "audit/netlink.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct netlink_reader {
	int fd;
	struct mmsghdr headers[NETLINK_BATCH];
	struct iovec iovs[NETLINK_BATCH];
	struct sockaddr_nl senders[NETLINK_BATCH];
	char *buffers; /* NETLINK_BATCH slots of NETLINK_MESSAGE_MAX */
	struct netlink_counters counters;
};

int netlink_reader_new(int fd, struct netlink_reader **ret)
{
	struct netlink_reader *reader = calloc(1, sizeof(*reader));

	if (!reader)
		return -ENOMEM;
	reader->buffers = malloc((size_t)NETLINK_BATCH * NETLINK_MESSAGE_MAX);
	if (!reader->buffers) {
		free(reader);
		return -ENOMEM;
	}
	reader->fd = fd;
	*ret = reader;
	return 0;
}

void netlink_reader_free(struct netlink_reader *reader)
{
	if (!reader)
		return;
	free(reader->buffers);
	free(reader);
}

static void prepare(struct netlink_reader *reader)
{
	for (int i = 0; i < NETLINK_BATCH; i++) {
		reader->iovs[i] = (struct iovec){
			.iov_base = reader->buffers + (size_t)i * NETLINK_MESSAGE_MAX,
			.iov_len = NETLINK_MESSAGE_MAX,
		};
		reader->headers[i] = (struct mmsghdr){
			.msg_hdr = {
				.msg_name = &reader->senders[i],
				.msg_namelen = sizeof(reader->senders[i]),
				.msg_iov = &reader->iovs[i],
				.msg_iovlen = 1,
			},
		};
	}
}

/*
 * One message per datagram: the kernel's audit records go out one skb each,
 * and their nlmsg_len counts the text without the header (the kernel's
 * "length quirks", kept for old auditd), so it is not to be trusted for
 * walking; the datagram's length is.
 */
static void hand_over(struct netlink_reader *reader, const struct mmsghdr *header,
		      void (*fn)(int type, const char *text, size_t len, void *ctx), void *ctx)
{
	const struct sockaddr_nl *sender = header->msg_hdr.msg_name;
	const struct nlmsghdr *nlh = header->msg_hdr.msg_iov->iov_base;
	size_t got = header->msg_len;

	/* Only the kernel (port 0) speaks for the audit subsystem. */
	if (header->msg_hdr.msg_namelen < sizeof(*sender) || sender->nl_pid != 0)
		return;
	if (got < NLMSG_HDRLEN)
		return;
	if (header->msg_hdr.msg_flags & MSG_TRUNC)
		reader->counters.truncated++;
	reader->counters.messages++;
	fn(nlh->nlmsg_type, NLMSG_DATA(nlh), got - NLMSG_HDRLEN, ctx);
}

int netlink_read(struct netlink_reader *reader,
		 void (*fn)(int type, const char *text, size_t len, void *ctx), void *ctx)
{
	int n;

	for (;;) {
		prepare(reader);
		n = recvmmsg(reader->fd, reader->headers, NETLINK_BATCH, MSG_DONTWAIT, NULL);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		if (errno == ENOBUFS) {
			/* The kernel outran us and dropped records on our socket: counted, not
			 * hidden. */
			reader->counters.overruns++;
			continue;
		}
		return -errno;
	}
	for (int i = 0; i < n; i++)
		hand_over(reader, &reader->headers[i], fn, ctx);
	return n;
}

void netlink_counters(const struct netlink_reader *reader, struct netlink_counters *ret)
{
	*ret = reader->counters;
}
