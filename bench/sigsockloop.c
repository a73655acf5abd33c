// SPDX-License-Identifier: GPL-2.0-only
/* Benchmark: a loop of the events the model observers see most cheaply: socket() and a signal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Prints nanoseconds per round of socket(AF_INET, SOCK_STREAM) + close +
 * kill(self, SIGCONT) (two observed events: socket_create, task_kill) over N
 * rounds.
 */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 100000;
	struct timespec start, end;
	pid_t self = getpid();

	if (iterations <= 0) {
		fprintf(stderr, "usage: sigsockloop [ITERATIONS]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0 || close(fd) < 0 || kill(self, SIGCONT) < 0) {
			perror("sigsockloop");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%.0f\n",
	       ((double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec)) /
		       (double)iterations);
	return 0;
}
