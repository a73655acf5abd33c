// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `exec-storm N`: N short-lived processes one after
 * another, each forked and executing this program again (`exec-storm -`,
 * which exits at once), each waited for; prints "execs N" once all ended
 * and exits 0, or names the failing step and exits 1.  The attack of a
 * container's root on a table the kernel shares between containers: every
 * exec is a new task the file gate holds and canisterd gives a TASK_ID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *child_argv[] = { argv[0], "-", NULL };
	char *end;
	long count;

	if (argc == 2 && strcmp(argv[1], "-") == 0)
		return 0;
	count = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (argc != 2 || *end || count < 0) {
		fprintf(stderr, "usage: exec-storm N\n");
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
			execv("/proc/self/exe", child_argv);
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
