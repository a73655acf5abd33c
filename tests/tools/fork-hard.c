// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: forks as fast as it can until told to stop, and says whether any fork failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* How often the count of forks is written to PROGRESS_FILE, for a case that waits on it. */
#define PROGRESS_EVERY 64

static void write_progress(int fd, long forks)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", forks);

	/* One pwrite of the whole number: a reader never sees half of it. */
	if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)len, 0) != len)
		perror("fork-hard: progress");
}

/*
 * Forks a child that exits at once, waits for it, and again, until STOP_FILE
 * exists; every PROGRESS_EVERY forks the count goes to PROGRESS_FILE.  A
 * failed fork is counted and the loop goes on, so that the one line at the
 * end says how many failed and why the first did.  Exit status 1 when any
 * fork failed.
 */
int main(int argc, char **argv)
{
	long forks = 0, failed = 0;
	int first_errno = 0;
	int progress;

	if (argc != 3) {
		fprintf(stderr, "usage: fork-hard STOP_FILE PROGRESS_FILE\n");
		return 2;
	}
	progress = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (progress < 0) {
		fprintf(stderr, "fork-hard: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	while (access(argv[1], F_OK) != 0) {
		pid_t child = fork();

		if (child < 0) {
			if (!failed++)
				first_errno = errno;
			continue;
		}
		if (child == 0)
			_exit(0);
		if (waitpid(child, NULL, 0) != child) {
			fprintf(stderr, "fork-hard: waitpid: %s\n", strerror(errno));
			return 2;
		}
		if (++forks % PROGRESS_EVERY == 0)
			write_progress(progress, forks);
	}
	write_progress(progress, forks);
	if (failed) {
		printf("fork-hard: %ld forks, %ld failed (the first: %s)\n", forks, failed,
		       strerror(first_errno));
		return 1;
	}
	printf("fork-hard: %ld forks, none failed\n", forks);
	return 0;
}
