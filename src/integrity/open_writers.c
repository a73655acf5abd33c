// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: whether a file the gate measures is open for writing elsewhere (IMA's open_writers).
 */
#include "integrity/open_writers.h"

#include "integrity/opener_syscall.h"
#include "lib/procfs.h"
#include "lib/clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * A read lease is refused while the inode is open for write (the kernel's
 * check_conflicting_open()), which is IMA's own test, inode_is_open_for_write().
 * Granted, it lives for two system calls.  Meanwhile a writer's open (or a
 * truncate) breaks it: that writer waits until the lease is let go (here, at
 * once; canisterd does not wait on it), an O_NONBLOCK writer gets EWOULDBLOCK
 * instead, and canisterd gets SIGIO, which it ignores.
 */
static int lease_refused(int fd)
{
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return 0;
	}
	return errno == EAGAIN ? 1 : -errno;
}

/* Whether open_writers_open() saw the lease tell a writer: open_writers_any() trusts it then. */
static bool lease_tells;

bool open_writers_open(const char *dir, char *why, size_t why_len)
{
	char link[64];
	int writer, reader = -1, seen, after = -EBADF;

	lease_tells = false;
	signal(SIGIO, SIG_IGN);
	writer = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (writer >= 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", writer);
		reader = open(link, O_RDONLY | O_CLOEXEC);
	}
	if (reader < 0) {
		snprintf(why, why_len, "unavailable: no file to try a read lease on in %s: %s", dir,
			 strerror(errno));
		if (writer >= 0)
			close(writer);
		return false;
	}
	seen = lease_refused(reader);
	close(writer);
	if (seen == 1)
		after = lease_refused(reader);
	close(reader);
	if (seen == 1 && after == 0) {
		struct canister_proc_creds creds;

		/* The file above is canisterd's own; a container's may be anyone's. */
		if (canister_proc_creds(getpid(), &creds) == 0 &&
		    (creds.cap_effective & (1ULL << CAP_LEASE))) {
			lease_tells = true;
			return true;
		}
		snprintf(why, why_len,
			 "unavailable: canisterd lacks CAP_LEASE (a lease on a file it does not "
			 "own is refused)");
		return false;
	}
	if (seen < 0 || after < 0)
		snprintf(why, why_len, "unavailable: a read lease (F_SETLEASE) fails: %s%s",
			 strerror(-(seen < 0 ? seen : after)),
			 -(seen < 0 ? seen : after) == EINVAL ? " (fs.leases-enable = 0?)" : "");
	else
		snprintf(why, why_len, "unavailable: a read lease %s a writer",
			 seen == 0 ? "was granted beside" : "was refused without");
	return false;
}

/*
 * A thread blocked at the gate that shows "running" is asked again, for at
 * most RUNNING_BUDGET_NS: what is still running after that is told nothing
 * about (counted a reader: a violation too many, never one too few; a
 * writer elsewhere for appraisal, which refuses it in enforce).  Every
 * answer the gate gives, the reader's at-once answers to the host's opens
 * included, wakes every opener blocked on the group's queue: on a host
 * busy opening files, with the CPUs taken, one stays runnable for
 * milliseconds, so the pauses grow from 50 us to 1 ms.  Only an open of a
 * file open for writing gets here.
 */
#define RUNNING_BUDGET_NS (100 * 1000 * 1000LL)
#define RUNNING_PAUSE_FIRST_NS 50000
#define RUNNING_PAUSE_MAX_NS 1000000

bool open_writers_opener_writes(pid_t pid)
{
	uint64_t flags;

	return open_writers_opener_flags(pid, &flags) == OPENER_OPENS_TO_WRITE;
}

int open_writers_opener_flags(pid_t pid, uint64_t *ret_flags)
{
	char path[64], line[256];
	struct dirent *entry;
	unsigned int threads = 0;
	int fd, kind = OPENER_RUNNING;
	ssize_t n;
	DIR *tasks;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return OPENER_UNKNOWN;
	while ((entry = readdir(tasks)) && threads < 2)
		threads += entry->d_name[0] != '.';
	closedir(tasks);
	/*
	 * With two threads, the one at the gate may read while another opens a
	 * file for write (or hangs in the open of a FIFO): nothing tells which
	 * open this event is.  Alone, the blocked thread's open is this one.
	 */
	if (threads != 1)
		return OPENER_UNKNOWN;
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return OPENER_UNKNOWN;
	for (int64_t deadline = (int64_t)canister_monotonic_ns() + RUNNING_BUDGET_NS,
		     pause = RUNNING_PAUSE_FIRST_NS;
	     ; pause = pause * 2 > RUNNING_PAUSE_MAX_NS ? RUNNING_PAUSE_MAX_NS : pause * 2) {
		struct timespec wait = { .tv_nsec = (long)pause };

		n = pread(fd, line, sizeof(line), 0);
		kind = n > 0 ? opener_syscall_flags(line, (size_t)n, ret_flags) : -EIO;
		if (kind != OPENER_RUNNING || (int64_t)canister_monotonic_ns() >= deadline)
			break;
		/* Woken by another event's answer: it needs a CPU to sleep again. */
		nanosleep(&wait, NULL);
	}
	close(fd);
	return kind == OPENER_OPENS_TO_READ || kind == OPENER_OPENS_TO_WRITE ? kind
									     : OPENER_UNKNOWN;
}

int open_writers_any(int fd)
{
	return lease_tells ? lease_refused(fd) : -EOPNOTSUPP;
}

int open_writers_check(int fd, pid_t pid)
{
	int r = lease_refused(fd);

	if (r < 0)
		return r;
	if (r == 0)
		return OPEN_WRITERS_NONE;
	/* Opened for write itself: IMA's check is then ToMToU's, not open_writers'. */
	return open_writers_opener_writes(pid) ? OPEN_WRITERS_OPENER : OPEN_WRITERS_ELSEWHERE;
}
