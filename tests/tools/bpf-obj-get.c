// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: asks the kernel for an fd to a pinned BPF object, as an attacker in a container would.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * bpf-obj-get PINNED-PATH prints "ok" when the kernel hands out the fd, else
 * "refused: <errno text>", so a case can assert which of the two happened
 * and why.  bpf-obj-get PINNED-PATH CMD... keeps the fd open (not
 * close-on-exec) and runs CMD with it: a process that took the fd while it
 * could and holds it on, as one that drops its privileges afterwards.
 */
int main(int argc, char **argv)
{
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: bpf-obj-get PINNED-PATH [CMD...]\n");
		return 2;
	}
	fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	if (argc == 2) {
		close(fd);
		printf("ok\n");
		return 0;
	}
	if (fcntl(fd, F_SETFD, 0) < 0) {
		perror("bpf-obj-get: fcntl");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("bpf-obj-get: exec");
	return 1;
}
