// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: changes a file's last byte through a shared writable mapping, as no write(2) does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * mmap-write FILE: opens FILE for reading and writing, maps it shared, and
 * flips the bits of its last byte by reading it and writing it back through
 * the mapping.  No write(2) is made: fanotify and inotify see no modification
 * (no FAN_MODIFY), and on tmpfs the read fault maps the page writable, so
 * the write does not fault and the file's mtime and ctime stay as they were.
 * Prints "changed" and exits 0, or names the failing call and exits 1.
 */
int main(int argc, char **argv)
{
	volatile unsigned char *last;
	struct stat st;
	void *at;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: mmap-write FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "mmap-write: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (st.st_size == 0) {
		fprintf(stderr, "mmap-write: %s: empty\n", argv[1]);
		return 1;
	}
	at = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (at == MAP_FAILED) {
		fprintf(stderr, "mmap-write: mmap %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	last = (volatile unsigned char *)at + st.st_size - 1;
	*last = (unsigned char)(*last ^ 0xff);
	if (munmap(at, (size_t)st.st_size) < 0 || close(fd) < 0) {
		fprintf(stderr, "mmap-write: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("changed\n");
	return 0;
}
