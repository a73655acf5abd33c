// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test tool: one change to a file's attributes that needs no open for
 * writing, as a container's root would make it against another container's
 * file.
 *
 * file-attr setxattr|removexattr|setflags PATH: sets trusted.canister to
 * "1", removes it, or sets the inode flags (FS_IOC_SETFLAGS through a
 * descriptor opened for reading) to what they are.  Exits 0 on success;
 * else prints the errno's text and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>
#include <unistd.h>

static int set_flags(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long flags = 0;
	int r;

	if (fd < 0)
		return -1;
	/* A filesystem without flags (ENOTTY) still leaves the call made: the LSM hook comes first.
	 */
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0 && errno != ENOTTY && errno != EOPNOTSUPP) {
		close(fd);
		return -1;
	}
	r = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: file-attr setxattr|removexattr|setflags PATH\n");
		return 2;
	}
	if (strcmp(argv[1], "setxattr") == 0)
		r = setxattr(argv[2], "trusted.canister", "1", 1, 0);
	else if (strcmp(argv[1], "removexattr") == 0)
		r = removexattr(argv[2], "trusted.canister");
	else if (strcmp(argv[1], "setflags") == 0)
		r = set_flags(argv[2]);
	else {
		fprintf(stderr, "file-attr: unknown change %s\n", argv[1]);
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "file-attr: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
