// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a new process execs a program from a thread other than its thread-group leader. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * thread-exec PROG [ARGS...]: forks a child, which starts a second thread
 * that execs PROG while the child's leader waits in pthread_join().  The
 * kernel then makes the thread the group's leader (de_thread()) and frees the
 * old one, so what was kept in the old leader's task storage must have moved
 * first: in lsm mode, a label pending there (src/identity/bpf/pending.bpf.h),
 * which a fresh child has when the labels map could not take its label and
 * it has neither forked nor exec'd since.  The pid stays the child's.  Exits
 * with PROG's status.
 */
static void *exec_from_thread(void *arg)
{
	char **argv = arg;

	execvp(argv[0], argv);
	fprintf(stderr, "thread-exec: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t thread;
	int r, status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: thread-exec PROG [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("thread-exec: fork");
		return 1;
	}
	if (pid == 0) {
		r = pthread_create(&thread, NULL, exec_from_thread, argv + 1);
		if (r) {
			fprintf(stderr, "thread-exec: pthread_create: %s\n", strerror(r));
			_exit(1);
		}
		/* Never returns: the exec ends this thread, or the thread exits the group. */
		pthread_join(thread, NULL);
		_exit(1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("thread-exec: waitpid");
			return 1;
		}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
