// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a container init with many children, for the cases that need thousands of processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Forks N children that wait, without exec (a shell's `sleep &` loop takes
 * tens of seconds for a few thousand), then creates READY_FILE and waits for
 * them.  Each child dies with its parent, so killing the tool ends them all.
 */
int main(int argc, char **argv)
{
	long count;
	int fd;

	if (argc != 3 || (count = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: fork-many N READY_FILE\n");
		return 2;
	}
	for (long i = 0; i < count; i++) {
		pid_t child = fork();

		if (child < 0) {
			fprintf(stderr, "fork-many: fork %ld: %s\n", i, strerror(errno));
			return 1;
		}
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			for (;;)
				pause();
		}
	}
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "forked\n", 7) != 7) {
		fprintf(stderr, "fork-many: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	close(fd);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
