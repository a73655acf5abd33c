// SPDX-License-Identifier: GPL-2.0-only
/* Test tool (root): starts a command with exactly the given pid, by writing
 * /proc/sys/kernel/ns_last_pid. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ATTEMPTS 2000

/*
 * pid-take PID CMD...: forks until a child gets PID, which then runs CMD
 * (the others exit at once).  Prints PID and exits 0 once CMD runs with it;
 * exits 1 if another process holds PID or ATTEMPTS forks did not get it.
 */
int main(int argc, char **argv)
{
	pid_t want;

	if (argc < 3 || (want = (pid_t)atoi(argv[1])) < 2) {
		fprintf(stderr, "usage: pid-take PID CMD...\n");
		return 2;
	}
	for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
		char last[32];
		pid_t child;
		int fd, len;

		if (kill(want, 0) == 0 || errno != ESRCH) {
			fprintf(stderr, "pid-take: pid %d is taken\n", (int)want);
			return 1;
		}
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			perror("pid-take: /proc/sys/kernel/ns_last_pid");
			return 1;
		}
		len = snprintf(last, sizeof(last), "%d", (int)want - 1);
		if (write(fd, last, (size_t)len) != len) {
			perror("pid-take: write ns_last_pid");
			return 1;
		}
		close(fd);
		child = fork();
		if (child < 0) {
			perror("pid-take: fork");
			return 1;
		}
		if (child == 0) {
			if (getpid() != want)
				_exit(0);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (child == want) {
			printf("%d\n", (int)child);
			return 0;
		}
		waitpid(child, NULL, 0);
	}
	fprintf(stderr, "pid-take: %d forks did not get pid %d\n", ATTEMPTS, (int)want);
	return 1;
}
