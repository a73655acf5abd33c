// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: many children alive at once, each asking for what the guard refuses containers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * fork-guarded N PID: forks N children, which all exist before any of them
 * acts (each holds its label, or fails to, for the whole run); then each sets
 * PID's nice value to what it already is.  That changes nothing, but passes
 * the lsm hook task_setnice, which the daemon guard refuses to containers
 * when PID is canisterd.  Prints "refused R allowed A of N"; a child that
 * was allowed was treated as a host process.
 */
enum { CHILD_REFUSED = 0, CHILD_ALLOWED = 1, CHILD_ERROR = 2 };

static int child(int go, pid_t target)
{
	char byte;
	int nice;

	/* EOF once the parent has forked every child. */
	while (read(go, &byte, 1) < 0 && errno == EINTR)
		;
	errno = 0;
	nice = getpriority(PRIO_PROCESS, target);
	if (nice == -1 && errno)
		return CHILD_ERROR;
	if (setpriority(PRIO_PROCESS, target, nice) == 0)
		return CHILD_ALLOWED;
	return errno == EPERM || errno == EACCES ? CHILD_REFUSED : CHILD_ERROR;
}

int main(int argc, char **argv)
{
	long count, counts[3] = { 0 };
	int go[2], status;
	pid_t target;

	if (argc != 3 || (count = strtol(argv[1], NULL, 10)) < 1 ||
	    (target = (pid_t)strtol(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "usage: fork-guarded N PID\n");
		return 2;
	}
	if (pipe(go) < 0) {
		perror("fork-guarded: pipe");
		return 1;
	}
	for (long i = 0; i < count; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "fork-guarded: fork %ld: %s\n", i, strerror(errno));
			return 1;
		}
		if (pid == 0) {
			close(go[1]);
			_exit(child(go[0], target));
		}
	}
	close(go[1]);
	for (;;) {
		pid_t done = wait(&status);
		int code;

		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			break;
		code = WIFEXITED(status) ? WEXITSTATUS(status) : CHILD_ERROR;
		counts[code <= CHILD_ERROR ? code : CHILD_ERROR]++;
	}
	printf("refused %ld allowed %ld of %ld\n", counts[CHILD_REFUSED], counts[CHILD_ALLOWED],
	       count);
	return counts[CHILD_ERROR] ? 1 : 0;
}
