// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of open + read + close of one file, the path every
 * file access takes; Landlock checks the open (a walk up the file's path).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Prints nanoseconds per open/read/close of PATH over N iterations. */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 0;
	struct timespec start, end;
	char buf[64];

	if (iterations <= 0 || argc != 3) {
		fprintf(stderr, "usage: openloop N PATH\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

		if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
			perror(argv[2]);
			return 1;
		}
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%lld\n",
	       ((end.tv_sec - start.tv_sec) * 1000000000LL + end.tv_nsec - start.tv_nsec) /
		       iterations);
	return 0;
}
