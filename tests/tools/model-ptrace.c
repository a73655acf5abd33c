// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `model-ptrace attach|environ GO`: starts a child that
 * executes this program again (`model-ptrace child`: so that the file gate
 * sees its exec and canisterd knows its TASK_ID) and waits for its "ready"
 * line; then attaches to it with PTRACE_ATTACH and detaches (attach), or
 * opens its /proc/PID/environ (environ: another process's secrets, an
 * access check of another mode).  Prints "attach: ok" or "attach: STEP:
 * ERROR", then waits until the file GO exists (polled every 10 ms) before
 * the child ends, so that canisterd still finds the target when it reads
 * the event; exits with the errno (0 when allowed).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void wait_for(const char *path)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

	while (access(path, F_OK) < 0)
		nanosleep(&tick, NULL);
}

/* The child: says it runs, then waits until its stdin ends (the parent closed the pipe). */
static int child(void)
{
	char c;

	if (write(STDOUT_FILENO, "ready\n", 6) != 6)
		return 2;
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	return 0;
}

/* The access itself: the errno, 0 when the kernel allowed it. */
static int access_child(const char *how, pid_t pid)
{
	char path[64];
	int status, fd;

	if (strcmp(how, "attach") == 0) {
		if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
			return errno;
		if (waitpid(pid, &status, 0) < 0 || ptrace(PTRACE_DETACH, pid, NULL, NULL) < 0)
			return errno;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int to_child[2], from_child[2], status, e;
	char line[16] = "";
	pid_t pid;
	ssize_t n;

	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return child();
	if (argc != 3 || (strcmp(argv[1], "attach") != 0 && strcmp(argv[1], "environ") != 0)) {
		fprintf(stderr, "usage: model-ptrace attach|environ GO\n");
		return 2;
	}
	if (pipe(to_child) < 0 || pipe(from_child) < 0) {
		perror("pipe");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		dup2(to_child[0], STDIN_FILENO);
		dup2(from_child[1], STDOUT_FILENO);
		close(to_child[1]);
		close(from_child[0]);
		execl("/proc/self/exe", "model-ptrace", "child", (char *)NULL);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	/* After its exec: the gate has held it and canisterd has its TASK_ID. */
	n = read(from_child[0], line, sizeof(line) - 1);
	if (n != 6 || strcmp(line, "ready\n") != 0) {
		fprintf(stderr, "model-ptrace: the child never said it was ready\n");
		return 2;
	}
	e = access_child(argv[1], pid);
	if (e)
		printf("%s: %s: %s\n", argv[1], argv[1], strerror(e));
	else
		printf("%s: ok\n", argv[1]);
	fflush(stdout);
	wait_for(argv[2]);
	close(to_child[1]);
	if (waitpid(pid, &status, 0) < 0)
		return 2;
	return e;
}
