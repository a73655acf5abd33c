// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark helper for bench/churn: a container's workload.  Waits until
 * GOFILE exists (polling, so it forks nothing before the start), then forks
 * and execs PROGRAM N times, one after another, and writes to OUTFILE its own
 * pid on the first line and the pid of every child it started on the next N
 * lines, so that the churn check can find each of them in canisterd's log.
 * OUTFILE.ready appears once it waits for GOFILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	const struct timespec poll = { .tv_nsec = 10 * 1000 * 1000 };
	long n = argc == 5 ? atol(argv[1]) : 0;
	char *const child_argv[] = { argc == 5 ? argv[2] : NULL, NULL };
	char ready[4096];
	pid_t *pids;
	FILE *out;
	int status;

	if (n <= 0) {
		fprintf(stderr, "usage: spawn N PROGRAM OUTFILE GOFILE\n");
		return 2;
	}
	pids = calloc((size_t)n, sizeof(*pids));
	if (!pids) {
		perror("spawn: calloc");
		return 1;
	}
	snprintf(ready, sizeof(ready), "%s.ready", argv[3]);
	out = fopen(ready, "w");
	if (!out || fclose(out)) {
		fprintf(stderr, "spawn: %s: %s\n", ready, strerror(errno));
		return 1;
	}
	while (access(argv[4], F_OK) != 0)
		nanosleep(&poll, NULL);

	for (long i = 0; i < n; i++) {
		pid_t child = fork();

		if (child < 0) {
			perror("spawn: fork");
			return 1;
		}
		if (child == 0) {
			execve(argv[2], child_argv, environ);
			_exit(127);
		}
		pids[i] = child;
		if (waitpid(child, &status, 0) != child) {
			perror("spawn: waitpid");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "spawn: %s (pid %d) did not exit 0 (status 0x%x)\n",
				argv[2], (int)child, status);
			return 1;
		}
	}

	out = fopen(argv[3], "w");
	if (!out) {
		fprintf(stderr, "spawn: %s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	fprintf(out, "%d\n", (int)getpid());
	for (long i = 0; i < n; i++)
		fprintf(out, "%d\n", (int)pids[i]);
	if (fclose(out)) {
		fprintf(stderr, "spawn: %s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	return 0;
}
