// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: fork + execve + wait of each of a set of files, the set run
 * PASSES times in order: the first pass finds every file new to whatever
 * judges execs (canisterd's verdict cache, fapolicyd's object cache), the
 * next ones find it known.  bench/appraise-fapolicyd and bench/appraise-verify
 * run the same sets under each configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* 0 when @program ran and exited 0; else a message and 1. */
static int run(const char *program)
{
	char *const child_argv[] = { (char *)program, NULL };
	pid_t child = fork();
	int status;

	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		execve(program, child_argv, environ);
		perror(program);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child) {
		perror("waitpid");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "execset: %s did not exit 0 (status 0x%x)\n", program, status);
		return 1;
	}
	return 0;
}

/* Prints, on one line, the mean nanoseconds per exec of each pass over FILE... */
int main(int argc, char **argv)
{
	long passes = argc > 2 ? atol(argv[1]) : 0;
	int files = argc - 2;

	if (passes <= 0) {
		fprintf(stderr, "usage: execset PASSES FILE...\n");
		return 2;
	}
	for (long pass = 0; pass < passes; pass++) {
		double start = now_ns();

		for (int i = 0; i < files; i++)
			if (run(argv[2 + i]))
				return 1;
		printf("%s%.0f", pass ? " " : "", (now_ns() - start) / files);
	}
	printf("\n");
	return 0;
}
