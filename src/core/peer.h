/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: who is on the other end of a control connection, from the kernel's point of view. */
#ifndef CANISTERD_PEER_H
#define CANISTERD_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct peer {
	pid_t tgid;
	uid_t uid;
	gid_t gid;
	int pidfd;		/* pins the peer's identity while we look at /proc */
	bool pidfd_from_socket; /* SO_PEERPIDFD: bound to the connecting process itself */
};

/*
 * Descriptors of the caller looked at for its end of the connection
 * (/proc/PID/fd, in the kernel's order): the scan stays bounded whatever the
 * caller holds open.  A new socket takes the lowest free descriptor, and
 * 1024 is the usual RLIMIT_NOFILE: an ordinary caller is found well within.
 */
#define PEER_FD_SCAN_MAX 1024

/*
 * How callers are identified on this kernel, decided once by peer_probe().
 * SO_PEERPIDFD (Linux 6.5) names the connecting process itself.  Without it,
 * the process with the connecting pid is pinned by a pidfd and must be
 * shown to hold the client end of this very connection (its inode, which
 * sock_diag's UNIX_DIAG_PEER names, among /proc/PID/fd), or it may be
 * another process that took a recycled pid.
 */
struct peer_method {
	bool peerpidfd;		   /* SO_PEERPIDFD is used */
	bool peerpidfd_off;	   /* the kernel has it, CANISTERD_NO_PEERPIDFD=1 turned it off */
	bool unix_diag;		   /* sock_diag answers for unix sockets: the hold is checked */
	char unix_diag_error[128]; /* why not, when it does not */
};

/*
 * peer_probe() - find out what the kernel offers (a socketpair asked for
 * SO_PEERPIDFD and UNIX_DIAG_PEER).  CANISTERD_NO_PEERPIDFD=1 in the
 * environment makes canisterd identify callers as on a kernel without
 * SO_PEERPIDFD (tests/host/36-peer-recycled.sh takes that path on a new
 * kernel).  Returns the method, also kept for peer_identify().
 */
const struct peer_method *peer_probe(void);

/*
 * peer_identify() - the connecting process of @conn_fd, pinned by a pidfd:
 * the process SO_PEERPIDFD names, or else whichever has the connecting pid
 * now, which peer_verify() must then prove is the caller before anything
 * about it is believed.  Returns 0, or -errno with the reason in @why:
 *   -ESRCH   the caller exited before it could be identified
 *   other    -errno from getsockopt or pidfd_open
 */
int peer_identify(int conn_fd, struct peer *ret_peer, char *why, size_t why_len);

/*
 * peer_verify() - on every kernel where sock_diag answers, the pinned process
 * holds the client end of @conn_fd and was alive after that was seen.  The
 * costly part of identification (a scan of /proc/PID/fd), so the control
 * socket runs it after its limits admitted the connection.  Returns 0, or
 * -errno with the reason in @why:
 *   -ESRCH   the caller exited meanwhile
 *   -EPERM   the process that has the caller's pid does not hold the
 *            connection (the caller exited and its pid was given to
 *            another process), or holds more than PEER_FD_SCAN_MAX
 *            descriptors (without SO_PEERPIDFD only); or this kernel offers
 *            no way to tell (no SO_PEERPIDFD and no unix_diag)
 *   other    -errno from sock_diag or /proc
 */
int peer_verify(int conn_fd, const struct peer *peer, char *why, size_t why_len);

/* pidfd_exited() - whether the process behind @pidfd has exited (a zombie has). */
bool pidfd_exited(int pidfd);

/* peer_alive() - whether the process behind @peer's pidfd has not exited yet. */
bool peer_alive(const struct peer *peer);

void peer_release(struct peer *peer);

#endif
