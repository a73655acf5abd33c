// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of fork + execve + wait, the path a container's workload
 * takes for every command it runs.  canister's programs sit on three points of
 * it: the fork (label copy, fork record), the exec (exec record) and the exit
 * (label delete, exit record).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Prints nanoseconds per fork/execve(PROGRAM)/wait round trip over N iterations. */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 5000;
	const char *program = argc > 2 ? argv[2] : "/bin/true";
	char *const child_argv[] = { (char *)program, NULL };
	struct timespec start, end;
	int status;

	if (iterations <= 0 || argc > 3) {
		fprintf(stderr, "usage: forkexec [ITERATIONS [PROGRAM]]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		pid_t child = fork();

		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0) {
			execve(program, child_argv, environ);
			_exit(127);
		}
		if (waitpid(child, &status, 0) != child) {
			perror("waitpid");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "forkexec: %s did not exit 0 (status 0x%x)\n", program,
				status);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%.0f\n",
	       ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / iterations);
	return 0;
}
