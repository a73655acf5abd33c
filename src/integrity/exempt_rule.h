/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: when the host mount exemption would open a hole, and which containers hold it off
 * (pure). */
#ifndef CANISTERD_INTEGRITY_EXEMPT_RULE_H
#define CANISTERD_INTEGRITY_EXEMPT_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The exemption puts fanotify ignore marks on canisterd's own mounts, so
 * that an open through one of them raises no gate event.  A labelled
 * process that can name a file through one of those mounts would open it
 * unjudged: each way it could is a hole, and a hole withdraws the exemption.
 */
enum exempt_hole {
	EXEMPT_NO_HOLE,
	EXEMPT_SHARES_MNT_NS, /* it is in canisterd's mount namespace */
	EXEMPT_SHARES_PID_NS, /* it sees canisterd's processes: /proc/PID/root, pidfd_open */
	EXEMPT_HOLDS_FD,      /* a directory or file on one of canisterd's mounts */
	EXEMPT_HOLDS_PIDFD,   /* a pidfd: setns() or pidfd_getfd() to a host process */
	EXEMPT_HOLDS_NS,      /* a descriptor of canisterd's mount or pid namespace: setns() */
	EXEMPT_HOST_PROC,     /* canisterd's /proc mounted in its mount namespace */
};

/* The namespaces of a labelled process and canisterd's (nsfs inode numbers). */
struct exempt_ns_facts {
	uint64_t mnt, pid;
	uint64_t host_mnt, host_pid;
};

/*
 * exempt_judge_ns() - EXEMPT_SHARES_MNT_NS, EXEMPT_SHARES_PID_NS, or
 * EXEMPT_NO_HOLE.  A namespace not read (0) is taken as shared: what cannot
 * be told is a hole.
 */
enum exempt_hole exempt_judge_ns(const struct exempt_ns_facts *facts);

/*
 * exempt_hole_text() - why the exemption is withdrawn, in words, into
 * @buf: "container 5 shares canisterd's mount namespace".  @fd is the
 * descriptor of the EXEMPT_HOLDS_* holes.
 */
void exempt_hole_text(enum exempt_hole hole, uint64_t contid, int fd, char *buf, size_t len);

/* What /proc/PID/fdinfo/FD says of one descriptor that the exemption asks about. */
struct exempt_fdinfo {
	bool has_mnt_id, is_pidfd;
	int mnt_id; /* the mount the descriptor's file was opened through */
};

/*
 * exempt_fdinfo_parse() - @len bytes of fdinfo text (not NUL-terminated):
 * its "mnt_id:" line, and whether it has a "Pid:" line (a pidfd).  Returns
 * 0, or -EINVAL when no "mnt_id:" line parses.
 */
int exempt_fdinfo_parse(const char *text, size_t len, struct exempt_fdinfo *ret);

/*
 * exempt_mountinfo_id() - the mount id, the first field of a line of
 * /proc/PID/mountinfo.  Returns it, or -EINVAL.
 */
int exempt_mountinfo_id(const char *line);

/* The containers that hold the exemption off, until each is dropped. */
#define EXEMPT_HOLDERS_MAX 64
struct exempt_holders {
	uint64_t contid[EXEMPT_HOLDERS_MAX];
	unsigned int count;
	bool overflow; /* one more than fit: held off until canisterd stops */
};

/* exempt_holders_add() - @contid holds it off; true when it was not holding it already. */
bool exempt_holders_add(struct exempt_holders *holders, uint64_t contid);

/*
 * exempt_holders_prune() - takes out each container @gone says is gone.
 * Returns true when nothing holds the exemption off any more.
 */
bool exempt_holders_prune(struct exempt_holders *holders, bool (*gone)(uint64_t contid, void *ctx),
			  void *ctx);

#endif
