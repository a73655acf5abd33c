// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: asks the kernel for an fd to a pinned BPF object, as an attacker in a container would.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Prints "ok" when the kernel hands out the fd, else "refused: <errno text>",
 * so a case can assert which of the two happened and why.
 */
int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: bpf-obj-get PINNED-PATH\n");
		return 2;
	}
	fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}
