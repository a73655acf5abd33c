// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a short-lived helper process that marks one namespace's filesystems for the gate. */
#include "integrity/mark_child.h"

#include "core/in_root.h"
#include "integrity/gate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A result's index: a target's, or an ignore mark's with this bit. */
#define RESULT_IGNORE 0x40000000u
/* Sent once when the kernel lacks FAN_MARK_IGNORE (before 6.0): the old flag was used. */
#define RESULT_LEGACY 0x20000000u

/* A result whose message is lost (the socket gone) is counted missing by canisterd. */
static void report(int out, uint32_t index, int err)
{
	(void)in_root_send(out, index, err, NULL, 0, -1);
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

struct child_args {
	int fan, rootfd;
	uint64_t mask;
	const struct mark_plan *plan;
};

/* The helper (in_root.h): it keeps the gate's group, the other group and the root alone. */
static void child_main(int out, void *arg)
{
	const struct child_args *args = arg;
	int fan = args->fan, rootfd = args->rootfd;
	uint64_t mask = args->mask;
	const struct mark_plan *plan = args->plan;
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		/* Symlinks, ".." and absolute paths stay in the container's root. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	char link[32];

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
}

int mark_child_start(struct mark_child *child, int root, const struct mark_plan *plan, char *why,
		     size_t why_len)
{
	struct child_args args = { .rootfd = root, .plan = plan };
	int keep[3];

	args.fan = gate_mark_group(&args.mask);
	if (args.fan < 0) {
		snprintf(why, why_len, "the file gate is not running");
		return args.fan;
	}
	keep[0] = args.fan;
	keep[1] = root;
	keep[2] = also.group;
	return in_root_start(&child->helper, "the marking helper", MARK_CHILD_DEADLINE_MS, keep, 3,
			     child_main, &args, why, why_len);
}

bool mark_child_expired(const struct mark_child *child, const struct timespec *now)
{
	return in_root_expired(&child->helper, now);
}

void mark_child_kill(struct mark_child *child)
{
	in_root_kill(&child->helper);
}

bool mark_child_collect(struct mark_child *child, int *err, unsigned int count,
			struct mark_ignore_results *ignores)
{
	char buf[IN_ROOT_MSG_MAX];
	struct in_root_msg result;
	/* Asked first: whatever it sent before it ended is in the socket for the reads. */
	bool ended = in_root_ended(&child->helper);

	while (child->helper.pid && in_root_recv(&child->helper, buf, &result, NULL) == 1) {
		if (result.tag < count)
			err[result.tag] = result.err;
		else if (ignores && result.tag == RESULT_LEGACY)
			ignores->legacy = true;
		else if (ignores && (result.tag & RESULT_IGNORE) &&
			 (result.tag & ~RESULT_IGNORE) < ignores->count)
			ignores->err[result.tag & ~RESULT_IGNORE] = result.err;
	}
	return ended && in_root_reap(&child->helper);
}

void mark_child_abandon(struct mark_child *child)
{
	in_root_end(&child->helper, true);
}
