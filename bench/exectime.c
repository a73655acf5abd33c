// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the time of each of N fork + execve(PROGRAM ARGS...) + wait round
 * trips, one figure per run.  bench/integrity runs a fresh copy of a file twice
 * (the first exec has canisterd hash the file, the second finds its digest
 * cached) and `openssl dgst -sha256 FILE` the same way, so both sides are timed
 * by the same clock around the same system calls.  The child's stdout goes to
 * /dev/null (openssl prints the digest).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Prints the nanoseconds of each run, separated by spaces, on one line. */
int main(int argc, char **argv)
{
	long runs = argc > 2 ? atol(argv[1]) : 0;
	int status;

	if (runs <= 0) {
		fprintf(stderr, "usage: exectime RUNS PROGRAM [ARGS...]\n");
		return 2;
	}
	for (long i = 0; i < runs; i++) {
		struct timespec start, end;
		pid_t child;

		clock_gettime(CLOCK_MONOTONIC, &start);
		child = fork();
		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, 1);
			execve(argv[2], argv + 2, environ);
			_exit(127);
		}
		if (waitpid(child, &status, 0) != child) {
			perror("waitpid");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &end);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "exectime: %s did not exit 0 (status 0x%x)\n", argv[2],
				status);
			return 1;
		}
		printf("%s%.0f", i ? " " : "",
		       (end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec));
	}
	printf("\n");
	return 0;
}
