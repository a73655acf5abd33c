// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: who is on the other end of a control connection, from the kernel's point of view. */
#include "core/peer.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

int peer_identify(int conn_fd, struct peer *ret_peer, char *why, size_t why_len)
{
	struct peer peer = { .pidfd = -1 };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int pidfd;

	if (getsockopt(conn_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		snprintf(why, why_len, "SO_PEERCRED: %s", strerror(errno));
		return -errno;
	}
	peer.tgid = cred.pid;
	peer.uid = cred.uid;
	peer.gid = cred.gid;

	/*
	 * SO_PEERPIDFD (6.5) names the connecting process itself, so a recycled
	 * pid cannot stand in for it.  Older kernels get a pidfd opened now: it
	 * pins whoever has the pid at this moment, and peer_alive() afterwards
	 * proves that was still the connecting process.
	 */
	len = sizeof(pidfd);
	if (getsockopt(conn_fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0) {
		peer.pidfd = pidfd;
		peer.pidfd_from_socket = true;
	} else {
		peer.pidfd = pidfd_open(peer.tgid, 0);
		if (peer.pidfd < 0) {
			snprintf(why, why_len, "caller pid %d: %s", (int)peer.tgid,
				 strerror(errno));
			return errno == ESRCH ? -ESRCH : -errno;
		}
	}
	*ret_peer = peer;
	return 0;
}

bool pidfd_exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	/* A pidfd becomes readable when its process exits. */
	return poll(&pfd, 1, 0) != 0;
}

bool peer_alive(const struct peer *peer)
{
	return !pidfd_exited(peer->pidfd);
}

void peer_release(struct peer *peer)
{
	if (peer->pidfd >= 0)
		close(peer->pidfd);
	peer->pidfd = -1;
}
