/* SPDX-License-Identifier: GPL-2.0-only */
/* Test tools: the set-up fuse-hang and fuse-stall share: a FUSE mount served by this process. */
#ifndef CANISTER_TOOLS_FUSE_SERVER_H
#define CANISTER_TOOLS_FUSE_SERVER_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/*
 * fuse_server_mount() - a FUSE filesystem of type fuse.@name on @dir whose
 * server is the /dev/fuse descriptor returned (O_CLOEXEC: nothing the tool
 * starts keeps the connection alive once it dies).  Returns the fd, or -1
 * after saying why on stderr, prefixed with @tool.
 */
static int fuse_server_mount(const char *tool, const char *name, const char *dir)
{
	char opts[128], type[64];
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "%s: /dev/fuse: %s\n", tool, strerror(errno));
		return -1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
	snprintf(type, sizeof(type), "fuse.%s", name);
	if (mount(name, dir, type, 0, opts) < 0) {
		fprintf(stderr, "%s: mount on %s: %s\n", tool, dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* fuse_server_ready() - this process's pid written to @path, which the case waits for; 0 or -1. */
static int fuse_server_ready(const char *tool, const char *path)
{
	FILE *ready = fopen(path, "we");

	if (!ready || fprintf(ready, "%d\n", (int)getpid()) < 0 || fclose(ready) != 0) {
		fprintf(stderr, "%s: ready file %s: %s\n", tool, path, strerror(errno));
		return -1;
	}
	return 0;
}

#endif
