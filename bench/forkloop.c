// SPDX-License-Identifier: GPL-2.0-only
/* Benchmark: the cost of fork + exit + wait, the path canister's label programs sit on. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Prints nanoseconds per fork/exit/wait round trip over N iterations. */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 20000;
	struct timespec start, end;

	if (iterations <= 0) {
		fprintf(stderr, "usage: forkloop [ITERATIONS]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		pid_t child = fork();

		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0)
			_exit(0);
		if (waitpid(child, NULL, 0) != child) {
			perror("waitpid");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%.0f\n",
	       ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / iterations);
	return 0;
}
