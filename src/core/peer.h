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
 * peer_identify() - the connecting process of @conn_fd, as the kernel recorded
 * it at connect().  Returns 0, or -errno with the reason in @why.
 */
int peer_identify(int conn_fd, struct peer *ret_peer, char *why, size_t why_len);

/* pidfd_exited() - whether the process behind @pidfd has exited (a zombie has). */
bool pidfd_exited(int pidfd);

/* peer_alive() - whether the process behind @peer's pidfd has not exited yet. */
bool peer_alive(const struct peer *peer);

void peer_release(struct peer *peer);

#endif
