// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a short-lived helper process that marks one namespace's filesystems for the gate. */
#include "integrity/mark_child.h"

#include "core/in_root.h"
#include "integrity/exempt.h"
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

/*
 * The helper opens, canisterd marks.  A helper asleep in a FUSE request that
 * never answers cannot die, and a fanotify group it held would outlive
 * canisterd: every permission event on the filesystems the gate marked would
 * wait for a reader that is gone, and every open and exec there with it.  So
 * the helper holds none of the gate's: it resolves each path in the root
 * (the walk that may hang) and passes the O_PATH descriptor back
 * (SCM_RIGHTS); canisterd marks through it, which walks nothing of the
 * container's.
 */

/* A result whose message is lost (the socket gone) is counted missing by canisterd. */
static void report(int out, uint32_t index, int err, int fd)
{
	(void)in_root_send(out, index, err, NULL, 0, fd);
	if (fd >= 0)
		close(fd);
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
	int rootfd;
	const struct mark_plan *plan;
};

/*
 * The helper (in_root.h): it keeps the root and the other group alone.  That
 * group is a notification group (no permission events: nobody waits on it if
 * it outlives canisterd), and its marks stay here because a FAN_REPORT_FID
 * group's mark asks the filesystem for its fsid (statfs), a request a FUSE or
 * network filesystem may never answer: canisterd must not make it.  Its
 * failure is not the gate's: a filesystem without file handles refuses such a
 * group, and is then only not seen there.
 */
static void child_main(int out, void *arg)
{
	const struct child_args *args = arg;
	const struct mark_plan *plan = args->plan;
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		/* Symlinks, ".." and absolute paths stay in the container's root. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	char link[32];

	for (unsigned int i = 0; i < plan->count; i++) {
		int fd = (int)syscall(SYS_openat2, args->rootfd, plan->target[i].point, &how,
				      sizeof(how));

		if (fd < 0) {
			report(out, i, -errno, -1);
			continue;
		}
		if (also.group >= 0) {
			fd_link(link, fd);
			(void)fanotify_mark(also.group, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
					    also.mask, AT_FDCWD, link);
		}
		report(out, i, 0, fd);
	}
	for (unsigned int i = 0; i < plan->ignore_count; i++) {
		int fd =
			(int)syscall(SYS_openat2, args->rootfd, plan->ignore[i], &how, sizeof(how));

		report(out, RESULT_IGNORE | i, fd < 0 ? -errno : 0, fd);
	}
}

int mark_child_start(struct mark_child *child, int root, const struct mark_plan *plan, char *why,
		     size_t why_len)
{
	struct child_args args = { .rootfd = root, .plan = plan };
	uint64_t mask;
	int keep[2];
	int r = gate_mark_group(&mask);

	if (r < 0) {
		snprintf(why, why_len, "the file gate is not running");
		return r;
	}
	keep[0] = root;
	keep[1] = also.group;
	return in_root_start(&child->helper, "the marking helper", MARK_CHILD_DEADLINE_MS, keep, 2,
			     child_main, &args, why, why_len);
}

/*
 * A target the helper opened, in the gate's group.  The O_PATH descriptor
 * is named by its /proc/self/fd link: fanotify_mark() refuses an O_PATH
 * descriptor as dirfd with a NULL path (EBADF), and the link jumps to the
 * file the helper resolved without a lookup in the container's filesystems.
 */
static int mark_target(int fd)
{
	uint64_t mask;
	int fan = gate_mark_group(&mask);
	char link[32];

	if (fan < 0)
		return fan;
	fd_link(link, fd);
	if (fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, link))
		return -errno;
	/*
	 * A mark adds to the mask the superblock had: FILE_CHECK no policy
	 * needs any more is taken off, or every open there would still wait
	 * for the gate.
	 */
	if (!(mask & FAN_OPEN_PERM) && fanotify_mark(fan, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM,
						     FAN_OPEN_PERM, AT_FDCWD, link))
		return -errno;
	return 0;
}

/*
 * The host mount exemption (exempt.h): an ignore mark on one of
 * canisterd's mounts, for the permission events only (FAN_CLOSE_WRITE still
 * comes: a host process's write must move the write generation of a file a
 * container runs).  FAN_MARK_IGNORE (6.0) where the kernel has it, else the
 * older FAN_MARK_IGNORED_MASK (*@legacy from then on); both with
 * FAN_MARK_IGNORED_SURV_MODIFY, without which the first write through the
 * mount would clear the ignore mask (and FAN_MARK_IGNORE refuses a mount
 * mark without it).
 */
static int place_ignore(int fd, bool *legacy)
{
	unsigned int flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORED_SURV_MODIFY;
	uint64_t mask;
	int fan = gate_mark_group(&mask);
	char link[32];
	int r;

	if (fan < 0)
		return fan;
	fd_link(link, fd);
	r = fanotify_mark(fan, flags | (*legacy ? FAN_MARK_IGNORED_MASK : FAN_MARK_IGNORE),
			  FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM, AT_FDCWD, link)
		    ? -errno
		    : 0;
	if (r == -EINVAL && !*legacy) {
		*legacy = true;
		r = fanotify_mark(fan, flags | FAN_MARK_IGNORED_MASK,
				  FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM, AT_FDCWD, link)
			    ? -errno
			    : 0;
	}
	return r;
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
	int fd;

	while (child->helper.pid && in_root_recv(&child->helper, buf, &result, &fd) == 1) {
		uint32_t index = result.tag & ~RESULT_IGNORE;
		int r = result.err;

		if (!(result.tag & RESULT_IGNORE) && index < count) {
			if (!r)
				r = fd >= 0 ? mark_target(fd) : -EBADMSG;
			err[index] = r;
		} else if ((result.tag & RESULT_IGNORE) && ignores && index < ignores->count &&
			   (r || exempt_in_force())) {
			/* Withdrawn meanwhile (exempt_check()): the rest are not placed. */
			if (!r)
				r = fd >= 0 ? place_ignore(fd, &ignores->legacy) : -EBADMSG;
			ignores->err[index] = r;
		}
		if (fd >= 0)
			close(fd);
	}
	return ended && in_root_reap(&child->helper);
}

void mark_child_abandon(struct mark_child *child)
{
	in_root_end(&child->helper, true);
}
