// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a FUSE filesystem that never answers, mounted in a mount namespace of its own. */
#include "fuse_server.h"

#include <sched.h>
#include <stdio.h>
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
	if (argc != 3) {
		fprintf(stderr, "usage: fuse-stall DIR READY\n");
		return 2;
	}
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		perror("fuse-stall: mount namespace");
		return 1;
	}
	/* Kept open and never read: the connection lives as long as this process. */
	if (fuse_server_mount("fuse-stall", "stall", argv[1]) < 0 ||
	    fuse_server_ready("fuse-stall", argv[2]) < 0)
		return 1;
	for (;;)
		pause();
}
