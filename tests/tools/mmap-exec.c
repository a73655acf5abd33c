// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: maps a file PROT_READ|PROT_EXEC, as ld.so maps a library, without executing it. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * mmap-exec [--unlink] FILE: opens FILE read-only and maps it whole, private,
 * readable and executable: IMA's MMAP_CHECK, which no open for execution
 * precedes (so fanotify's FAN_OPEN_EXEC_PERM never fires; FILE is opened as
 * any file is).  --unlink removes FILE between the open and the mapping: a
 * mapped file no path leads to.  Prints "mapped" and exits 0, or names the
 * failing call and exits 1.
 */
int main(int argc, char **argv)
{
	bool unlink_first = argc == 3 && strcmp(argv[1], "--unlink") == 0;
	const char *path = argv[argc - 1];
	struct stat st;
	void *at;
	int fd;

	if (argc != 2 && !unlink_first) {
		fprintf(stderr, "usage: mmap-exec [--unlink] FILE\n");
		return 2;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || (unlink_first && unlink(path) < 0)) {
		fprintf(stderr, "mmap-exec: %s: %s\n", path, strerror(errno));
		return 1;
	}
	at = mmap(NULL, st.st_size ? (size_t)st.st_size : 1, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
		  0);
	if (at == MAP_FAILED) {
		fprintf(stderr, "mmap-exec: mmap %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("mapped\n");
	munmap(at, st.st_size ? (size_t)st.st_size : 1);
	close(fd);
	return 0;
}
