// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a short-lived helper process that marks one namespace's filesystems for the gate. */
#include "integrity/mark_child.h"

#include "integrity/gate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A result's index: a target's, or an ignore mark's with this bit. */
#define RESULT_IGNORE 0x40000000u
/* Sent once when the kernel lacks FAN_MARK_IGNORE (before 6.0): the old flag was used. */
#define RESULT_LEGACY 0x20000000u

struct mark_result {
	uint32_t index;
	int32_t err;
};

static void report(int out, uint32_t index, int err)
{
	struct mark_result result = { .index = index, .err = err };

	/* 8 bytes: below PIPE_BUF, so whole or not at all; the parent counts a missing one. */
	(void)!write(out, &result, sizeof(result));
}

/* "/proc/self/fd/N" without snprintf, which is not async-signal-safe. */
static void fd_link(char *buf, int fd)
{
	static const char prefix[] = "/proc/self/fd/";
	char digits[16];
	int n = 0;

	memcpy(buf, prefix, sizeof(prefix) - 1);
	buf += sizeof(prefix) - 1;
	do {
		digits[n++] = (char)('0' + fd % 10);
		fd /= 10;
	} while (fd);
	while (n)
		*buf++ = digits[--n];
	*buf = '\0';
}

/*
 * The host mount exemption (exempt.h): an ignore mark on each of
 * canisterd's mounts, for the permission events only (FAN_CLOSE_WRITE
 * still comes: a host process's write must move the write generation of a
 * file a container runs).  FAN_MARK_IGNORE (6.0) where the kernel has it,
 * else the older FAN_MARK_IGNORED_MASK; both with
 * FAN_MARK_IGNORED_SURV_MODIFY, without which the first write through the
 * mount would clear the ignore mask (and FAN_MARK_IGNORE refuses a mount
 * mark without it).
 */
static void place_ignores(int fan, int out, int rootfd, const struct mark_plan *plan,
			  const struct open_how *how)
{
	unsigned int flags =
		FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY;
	char link[32];

	for (unsigned int i = 0; i < plan->ignore_count; i++) {
		int fd, r;

		fd = (int)syscall(SYS_openat2, rootfd, plan->ignore[i], how, sizeof(*how));
		if (fd < 0) {
			report(out, RESULT_IGNORE | i, -errno);
			continue;
		}
		fd_link(link, fd);
		r = fanotify_mark(fan, flags, FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM, AT_FDCWD, link)
			    ? -errno
			    : 0;
		if (r == -EINVAL && (flags & FAN_MARK_IGNORE)) {
			flags = (flags & ~FAN_MARK_IGNORE) | FAN_MARK_IGNORED_MASK;
			report(out, RESULT_LEGACY, 0);
			r = fanotify_mark(fan, flags, FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM, AT_FDCWD,
					  link)
				    ? -errno
				    : 0;
		}
		close(fd);
		report(out, RESULT_IGNORE | i, r);
	}
}

/*
 * The helper: a fork of a threaded process, so system calls only.  It
 * closes every descriptor but the group's and the pipe's first: if it hangs
 * in a walk, it must not hold canisterd's clients' sockets open with it.
 */
/* The group mark_child_also() set; main loop only, inherited by each helper. */
static struct {
	int group;
	uint64_t mask;
} also = { .group = -1 };

void mark_child_also(int group, uint64_t mask)
{
	also.group = group;
	also.mask = mask;
}

static __attribute__((noreturn)) void child_main(int fan, uint64_t mask, int out, int rootfd,
						 const struct mark_plan *plan)
{
	int keep[4] = { fan, out, rootfd, also.group >= 0 ? also.group : fan }, next = 3;
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		/* Symlinks, ".." and absolute paths stay in the container's root. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	char link[32];

	/* The four kept (the gate's group twice when no other), in order, the gaps closed. */
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (keep[j] < keep[i]) {
				int swap = keep[i];

				keep[i] = keep[j];
				keep[j] = swap;
			}
	for (int i = 0; i < 4; i++) {
		if (keep[i] > next)
			syscall(SYS_close_range, next, keep[i] - 1, 0);
		next = keep[i] + 1;
	}
	syscall(SYS_close_range, next, ~0U, 0);
	for (unsigned int i = 0; i < plan->count; i++) {
		int fd, r = 0;

		fd = (int)syscall(SYS_openat2, rootfd, plan->target[i].point, &how, sizeof(how));
		if (fd < 0) {
			r = -errno;
		} else {
			fd_link(link, fd);
			if (fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD,
					  link))
				r = -errno;
			/*
			 * A mark adds to the mask the superblock had: FILE_CHECK
			 * no policy needs any more is taken off, or every open
			 * there would still wait for the gate.
			 */
			else if (!(mask & FAN_OPEN_PERM) &&
				 fanotify_mark(fan, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM,
					       FAN_OPEN_PERM, AT_FDCWD, link))
				r = -errno;
			/*
			 * Another capability's group, on the same filesystems
			 * (mark_child_also()).  Its failure is not the gate's:
			 * a filesystem without file handles refuses a
			 * FAN_REPORT_FID group, and is then only not seen there.
			 */
			else if (also.group >= 0)
				(void)fanotify_mark(also.group, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
						    also.mask, AT_FDCWD, link);
			close(fd);
		}
		report(out, i, r);
	}
	place_ignores(fan, out, rootfd, plan, &how);
	_exit(0);
}

int mark_child_start(struct mark_child *child, int root, const struct mark_plan *plan, char *why,
		     size_t why_len)
{
	uint64_t mask;
	int fan = gate_mark_group(&mask), pipefd[2], r;
	pid_t pid;

	if (fan < 0) {
		snprintf(why, why_len, "the file gate is not running");
		return fan;
	}
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(why, why_len, "pipe for a marking helper: %s", strerror(-r));
		return r;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		snprintf(why, why_len, "fork of a marking helper: %s", strerror(-r));
		close(pipefd[0]);
		close(pipefd[1]);
		return r;
	}
	if (pid == 0)
		child_main(fan, mask, pipefd[1], root, plan);
	close(pipefd[1]);
	/* Our own child, not reaped before we wait for it: the pid is still its. */
	child->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (child->pidfd < 0) {
		r = -errno;
		snprintf(why, why_len, "pidfd of a marking helper: %s", strerror(-r));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(pipefd[0]);
		return r;
	}
	child->pid = pid;
	child->results = pipefd[0];
	child->killed = false;
	clock_gettime(CLOCK_MONOTONIC, &child->deadline);
	child->deadline.tv_sec += MARK_CHILD_DEADLINE_MS / 1000;
	child->deadline.tv_nsec += (long)(MARK_CHILD_DEADLINE_MS % 1000) * 1000000;
	if (child->deadline.tv_nsec >= 1000000000) {
		child->deadline.tv_sec++;
		child->deadline.tv_nsec -= 1000000000;
	}
	return 0;
}

bool mark_child_expired(const struct mark_child *child, const struct timespec *now)
{
	return now->tv_sec > child->deadline.tv_sec ||
	       (now->tv_sec == child->deadline.tv_sec && now->tv_nsec >= child->deadline.tv_nsec);
}

void mark_child_kill(struct mark_child *child)
{
	if (!child->pid || child->killed)
		return;
	child->killed = true;
	syscall(SYS_pidfd_send_signal, child->pidfd, SIGKILL, NULL, 0);
}

bool mark_child_collect(struct mark_child *child, int *err, unsigned int count,
			struct mark_ignore_results *ignores)
{
	struct mark_result result;
	siginfo_t info = { 0 };

	while (read(child->results, &result, sizeof(result)) == sizeof(result)) {
		if (result.index < count)
			err[result.index] = result.err;
		else if (ignores && result.index == RESULT_LEGACY)
			ignores->legacy = true;
		else if (ignores && (result.index & RESULT_IGNORE) &&
			 (result.index & ~RESULT_IGNORE) < ignores->count)
			ignores->err[result.index & ~RESULT_IGNORE] = result.err;
	}
	if (waitid(P_PID, (id_t)child->pid, &info, WEXITED | WNOHANG) < 0 || info.si_pid == 0)
		return false;
	close(child->results);
	close(child->pidfd);
	child->results = child->pidfd = -1;
	child->pid = 0;
	return true;
}
