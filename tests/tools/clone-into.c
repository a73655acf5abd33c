// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test tool: a child started straight into a cgroup by clone3's
 * CLONE_INTO_CGROUP, as a container's process would start one to put it in
 * another container's cgroup (or a host service's) without writing any
 * cgroup.procs.  The kernel checks such a fork as it checks a move: write
 * access to cgroup.procs of the common ancestor of the caller's cgroup and
 * DIR, which lsm mode's cgroup rule judges.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * clone-into DIR [CMD ARG...]: the child, born in cgroup v2 directory DIR,
 * runs CMD (or exits at once); the exit status is the child's.  A refused
 * clone3 prints "clone-into: clone3 into DIR: <errno text>" and exits 1.
 */
int main(int argc, char **argv)
{
	struct clone_args args;
	int dir, status;
	long pid;

	if (argc < 2) {
		fprintf(stderr, "usage: clone-into DIR [CMD ARG...]\n");
		return 2;
	}
	dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		fprintf(stderr, "clone-into: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)dir;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		fprintf(stderr, "clone-into: clone3 into %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (pid == 0) {
		if (argc == 2)
			_exit(0);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "clone-into: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	close(dir);
	if (waitpid((pid_t)pid, &status, 0) < 0) {
		fprintf(stderr, "clone-into: waitpid: %s\n", strerror(errno));
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
