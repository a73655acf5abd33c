// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: runs a command with many descriptors open below the ones it opens itself. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

/* fd-hog N CMD...: opens /dev/null N times (raising RLIMIT_NOFILE as needed), then runs CMD. */
int main(int argc, char **argv)
{
	struct rlimit limit;
	int count;

	if (argc < 3 || (count = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: fd-hog N CMD...\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < (rlim_t)count + 64) {
		limit.rlim_cur = (rlim_t)count + 64;
		if (limit.rlim_max < limit.rlim_cur)
			limit.rlim_max = limit.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &limit) < 0) {
			perror("fd-hog: setrlimit");
			return 1;
		}
	}
	for (int i = 0; i < count; i++)
		if (open("/dev/null", O_RDONLY) < 0) {
			perror("fd-hog: open");
			return 1;
		}
	execvp(argv[2], argv + 2);
	perror("fd-hog: exec");
	return 127;
}
