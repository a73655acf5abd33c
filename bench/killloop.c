// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of a signal as BPF LSM's task_kill sees it: kill(2)
 * of the parent (a process of the same container) with signal 0, which is
 * checked like any signal and delivers nothing.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Prints nanoseconds per kill(getppid(), 0) over N iterations. */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 0;
	struct timespec start, end;
	pid_t parent = getppid();

	if (argc != 2 || iterations <= 0) {
		fprintf(stderr, "usage: killloop N\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		if (kill(parent, 0) < 0) {
			perror("kill");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%lld\n",
	       ((end.tv_sec - start.tv_sec) * 1000000000LL + end.tv_nsec - start.tv_nsec) /
		       iterations);
	return 0;
}
