// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a FUSE filesystem that never answers, mounted in a mount namespace of its own. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/*
 * fuse-stall DIR READY: in a new mount namespace (private, so nothing leaks
 * to the host's), mounts a FUSE filesystem on DIR whose server never reads
 * /dev/fuse, writes READY, and sleeps until killed.  Any path walk into DIR
 * from that namespace (its own, or another process's through /proc/PID/root)
 * then waits for an answer that never comes: the kernel's FUSE_INIT is never
 * read, and every later request waits for it.  When the process dies the
 * /dev/fuse fd closes, the kernel aborts the connection and the walkers get
 * ENOTCONN, so a failed case leaves nothing stuck behind.
 */
int main(int argc, char **argv)
{
	char opts[128];
	FILE *ready;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: fuse-stall DIR READY\n");
		return 2;
	}
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		perror("fuse-stall: mount namespace");
		return 1;
	}
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("fuse-stall: /dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
	if (mount("stall", argv[1], "fuse.stall", 0, opts) < 0) {
		fprintf(stderr, "fuse-stall: mount on %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	ready = fopen(argv[2], "we");
	if (!ready || fprintf(ready, "%d\n", (int)getpid()) < 0 || fclose(ready) != 0) {
		perror("fuse-stall: ready file");
		return 1;
	}
	for (;;)
		pause();
}
