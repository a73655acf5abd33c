// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test tool: one change to a file's attributes that needs no open for
 * writing, as a container's root would make it against another container's
 * file.
 *
 * file-attr setxattr|removexattr|setflags|setflags32|truncate|rdtrunc PATH: sets
 * trusted.canister to "1", removes it, sets the inode flags to what they are
 * (FS_IOC_SETFLAGS through a descriptor opened for reading; setflags32: as a
 * 32-bit process would, FS_IOC32_SETFLAGS by int $0x80), or truncates the
 * file to nothing by path (truncate(2): no open at all; rdtrunc: an
 * open(O_RDONLY | O_TRUNC), which truncates without write access).  Exits 0 on
 * success; else prints the errno's text and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

#define NR32_IOCTL 54
#define CN_FS_IOC32_SETFLAGS 0x40046602

/* i386's ioctl(fd, FS_IOC32_SETFLAGS, flags), its argument in memory a 32-bit pointer reaches. */
static int set_flags32(const char *path)
{
	int *flags = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long flags64 = 0, r;
	int fd;

	if (flags == MAP_FAILED)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags64) < 0 && errno != ENOTTY && errno != EOPNOTSUPP) {
		close(fd);
		return -1;
	}
	*flags = (int)flags64;
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"((long)NR32_IOCTL), "b"((long)fd), "c"((long)CN_FS_IOC32_SETFLAGS),
			   "d"((long)(unsigned long)flags)
			 : "memory", "r8", "r9", "r10", "r11");
	close(fd);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int r, fd;

	if (argc != 3) {
		fprintf(stderr, "usage: file-attr "
				"setxattr|removexattr|setflags|setflags32|truncate|rdtrunc PATH\n");
		return 2;
	}
	if (strcmp(argv[1], "setxattr") == 0)
		r = setxattr(argv[2], "trusted.canister", "1", 1, 0);
	else if (strcmp(argv[1], "removexattr") == 0)
		r = removexattr(argv[2], "trusted.canister");
	else if (strcmp(argv[1], "setflags") == 0)
		r = set_flags(argv[2]);
	else if (strcmp(argv[1], "setflags32") == 0)
		r = set_flags32(argv[2]);
	else if (strcmp(argv[1], "truncate") == 0)
		r = truncate(argv[2], 0);
	else if (strcmp(argv[1], "rdtrunc") == 0)
		r = (fd = open(argv[2], O_RDONLY | O_TRUNC | O_CLOEXEC)) < 0 ? -1 : close(fd);
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
