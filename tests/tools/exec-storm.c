// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `exec-storm N PROGRAM [ARG...]`: N short-lived
 * processes one after another, each forked and executing PROGRAM, each
 * waited for and expected to exit 0; prints "execs N" once all ended and
 * exits 0, or names the failing step and exits 1.  The attack of a
 * container's root on a table the kernel shares between containers: every
 * exec is a new task the file gate holds and canisterd gives TASK_IDs (the
 * forked child's, then the program's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long count;

	count = argc >= 3 ? strtol(argv[1], &end, 10) : -1;
	if (argc < 3 || *end || count < 0) {
		fprintf(stderr, "usage: exec-storm N PROGRAM [ARG...]\n");
		return 2;
	}
	for (long i = 0; i < count; i++) {
		int status;
		pid_t child = fork();

		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0) {
			execvp(argv[2], &argv[2]);
			_exit(127);
		}
		if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "exec %ld failed\n", i);
			return 1;
		}
	}
	printf("execs %ld\n", count);
	return 0;
}
