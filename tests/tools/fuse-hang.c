// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a FUSE filesystem whose server takes every request and answers none but FUSE_INIT. */
#include "fuse_server.h"

#include <errno.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * fuse-hang DIR READY: mounts a FUSE filesystem on DIR in the caller's mount
 * namespace, answers the kernel's FUSE_INIT, writes its pid to READY, then
 * reads every later request and answers none.  Unlike fuse-stall (whose
 * FUSE_INIT is never read, so a walker waits killably for it), a request
 * read here is "sent": a process that made it (an open of DIR: FUSE_OPENDIR)
 * waits in an uninterruptible sleep that even SIGKILL does not end, as under
 * a server that hangs.  When this process dies its /dev/fuse descriptor
 * closes, the kernel aborts the connection and the waiters get ENOTCONN.
 */
int main(int argc, char **argv)
{
	static char buf[FUSE_MIN_READ_BUFFER + 131072];
	struct {
		struct fuse_out_header head;
		struct fuse_init_out init;
	} reply;
	const struct fuse_in_header *in = (const void *)buf;
	const struct fuse_init_in *init_in = (const void *)(buf + sizeof(*in));
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: fuse-hang DIR READY\n");
		return 2;
	}
	fd = fuse_server_mount("fuse-hang", "hang", argv[1]);
	if (fd < 0)
		return 1;
	n = read(fd, buf, sizeof(buf));
	if (n < (ssize_t)(sizeof(*in) + sizeof(*init_in)) || in->opcode != FUSE_INIT) {
		fprintf(stderr, "fuse-hang: no FUSE_INIT first\n");
		return 1;
	}
	memset(&reply, 0, sizeof(reply));
	reply.head.len = sizeof(reply);
	reply.head.unique = in->unique;
	reply.init.major = FUSE_KERNEL_VERSION;
	reply.init.minor = init_in->minor < FUSE_KERNEL_MINOR_VERSION ? init_in->minor
								      : FUSE_KERNEL_MINOR_VERSION;
	reply.init.max_readahead = init_in->max_readahead;
	reply.init.max_write = 4096;
	if (write(fd, &reply, sizeof(reply)) != (ssize_t)sizeof(reply)) {
		perror("fuse-hang: FUSE_INIT reply");
		return 1;
	}
	if (fuse_server_ready("fuse-hang", argv[2]) < 0)
		return 1;
	/* Taken, never answered; ENODEV once unmounted. */
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	return 0;
}
