// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of making and taking a name, create (open O_CREAT,
 * close) then unlink, in directory DIR: what a fanotify group marked for
 * FAN_CREATE and FAN_DELETE adds to each.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Prints nanoseconds per create+unlink over N iterations, in the thread's CPU time. */
int main(int argc, char **argv)
{
	long iterations = argc > 2 ? atol(argv[2]) : 0;
	struct timespec start, end;
	char path[4096];

	if (argc != 3 || iterations <= 0) {
		fprintf(stderr, "usage: createloop DIR N\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/f", argv[1]);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	for (long i = 0; i < iterations; i++) {
		int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

		if (fd < 0 || close(fd) < 0 || unlink(path) < 0) {
			perror(path);
			return 1;
		}
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
	printf("%.1f\n",
	       ((double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec)) /
		       (double)iterations);
	return 0;
}
