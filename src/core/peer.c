// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: who is on the other end of a control connection, from the kernel's point of view. */
#include "core/peer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

#define NO_PEERPIDFD_ENV "CANISTERD_NO_PEERPIDFD"

static struct {
	bool probed;
	struct peer_method method;
} peer_state;

/*
 * A NETLINK_SOCK_DIAG socket in the network namespace of socket @fd.  The
 * server end of a unix connection belongs to the client's namespace, and
 * sock_diag answers only for its own: a client in another one (canisterd run
 * in a namespace of its own, say) is looked up from there.  Only this
 * thread enters it, and only to create the socket.
 */
static int diag_socket_for(int fd)
{
	struct stat theirs, ours;
	int nsfd, own, nl, r;

	nsfd = ioctl(fd, SIOCGSKNS);
	if (nsfd < 0 || fstat(nsfd, &theirs) < 0 || stat("/proc/thread-self/ns/net", &ours) < 0 ||
	    (theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev)) {
		if (nsfd >= 0)
			close(nsfd);
		nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		return nl < 0 ? -errno : nl;
	}
	own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own < 0) {
		r = -errno;
		close(nsfd);
		return r;
	}
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		r = -errno;
		close(own);
		close(nsfd);
		return r;
	}
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	r = nl < 0 ? -errno : nl;
	if (setns(own, CLONE_NEWNET) < 0) {
		/* Not back home: refuse rather than go on in the client's namespace. */
		if (nl >= 0)
			close(nl);
		r = -errno;
	}
	close(own);
	close(nsfd);
	return r;
}

/*
 * The inode of the socket at the other end of @fd, as sock_diag reports it
 * (UNIX_DIAG_PEER of @fd's own inode).  -ENOENT/-EOPNOTSUPP/-EPROTONOSUPPORT:
 * the kernel has no unix_diag (the module is missing).
 */
static int peer_socket_inode(int fd, uint32_t *ret_ino)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} request = {
		.nlh = {
			.nlmsg_len = sizeof(request),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST,
			.nlmsg_seq = 1,
		},
		.req = {
			.sdiag_family = AF_UNIX,
			.udiag_states = ~0u,
			.udiag_show = UDIAG_SHOW_PEER,
			.udiag_cookie = { INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE },
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union {
		char bytes[8192];
		struct nlmsghdr align;
	} reply;
	struct stat st;
	ssize_t got;
	int nl, r = -ENODATA;

	if (fstat(fd, &st) < 0)
		return -errno;
	request.req.udiag_ino = (uint32_t)st.st_ino;
	nl = diag_socket_for(fd);
	if (nl < 0)
		return nl;
	if (sendto(nl, &request, sizeof(request), 0, (struct sockaddr *)&kernel, sizeof(kernel)) <
	    0) {
		r = -errno;
		goto out;
	}
	do
		got = recv(nl, reply.bytes, sizeof(reply.bytes), 0);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		r = -errno;
		goto out;
	}
	for (struct nlmsghdr *h = &reply.align; NLMSG_OK(h, (size_t)got); h = NLMSG_NEXT(h, got)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *err = NLMSG_DATA(h);

			r = err->error ? err->error : -ENODATA;
			break;
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		const struct unix_diag_msg *msg = NLMSG_DATA(h);
		int attrs_len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*msg));

		if (attrs_len < 0 || msg->udiag_ino != request.req.udiag_ino)
			continue;
		for (struct rtattr *a = (struct rtattr *)(msg + 1); RTA_OK(a, attrs_len);
		     a = RTA_NEXT(a, attrs_len)) {
			if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
				memcpy(ret_ino, RTA_DATA(a), sizeof(*ret_ino));
				r = 0;
				break;
			}
		}
		break;
	}
out:
	close(nl);
	return r;
}

const struct peer_method *peer_probe(void)
{
	struct peer_method *method = &peer_state.method;
	const char *off = getenv(NO_PEERPIDFD_ENV);
	socklen_t len = sizeof(int);
	int pair[2], pidfd;
	uint32_t ino;

	memset(method, 0, sizeof(*method));
	peer_state.probed = true;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		snprintf(method->unix_diag_error, sizeof(method->unix_diag_error), "socketpair: %s",
			 strerror(errno));
		return method;
	}
	if (getsockopt(pair[0], SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0) {
		close(pidfd);
		if (off && strcmp(off, "1") == 0)
			method->peerpidfd_off = true;
		else
			method->peerpidfd = true;
	}
	int r = peer_socket_inode(pair[0], &ino);

	if (r == 0) {
		struct stat st;

		method->unix_diag = fstat(pair[1], &st) == 0 && (uint32_t)st.st_ino == ino;
		if (!method->unix_diag)
			snprintf(method->unix_diag_error, sizeof(method->unix_diag_error),
				 "sock_diag named another peer than the socketpair's");
	} else {
		snprintf(method->unix_diag_error, sizeof(method->unix_diag_error),
			 "sock_diag (UNIX_DIAG_PEER) unavailable: %s%s", strerror(-r),
			 r == -ENOENT || r == -EOPNOTSUPP || r == -EPROTONOSUPPORT
				 ? " (is the unix_diag module loaded?)"
				 : "");
	}
	close(pair[0]);
	close(pair[1]);
	return method;
}

/*
 * Whether @tgid holds a descriptor of socket inode @ino.  Looks at
 * PEER_FD_SCAN_MAX descriptors at most: -E2BIG beyond.
 */
static int holds_socket(pid_t tgid, uint32_t ino)
{
	char path[64], want[48], link[48];
	unsigned int seen = 0;
	struct dirent *entry;
	int dirfd, r = -ENOENT;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)tgid);
	snprintf(want, sizeof(want), "socket:[%u]", ino);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	dir = fdopendir(dirfd);
	if (!dir) {
		r = -errno;
		close(dirfd);
		return r;
	}
	while ((entry = readdir(dir)) != NULL) {
		ssize_t n;

		if (entry->d_name[0] == '.')
			continue;
		if (++seen > PEER_FD_SCAN_MAX) {
			r = -E2BIG;
			break;
		}
		n = readlinkat(dirfd, entry->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue; /* closed meanwhile */
		link[n] = '\0';
		if (strcmp(link, want) == 0) {
			r = 0;
			break;
		}
	}
	closedir(dir);
	return r;
}

/*
 * The process behind @peer->pidfd holds the client end of @conn_fd, and was
 * alive after that was seen, so /proc/PID was its own all along: a pid is
 * not given again while its process lives.
 */
static int check_holds_connection(int conn_fd, const struct peer *peer, char *why, size_t why_len)
{
	uint32_t peer_ino;
	int r;

	r = peer_socket_inode(conn_fd, &peer_ino);
	if (r < 0) {
		snprintf(why, why_len, "cannot find the client end of the connection: %s",
			 strerror(-r));
		return r == -ENOENT ? -ESRCH : r;
	}
	r = holds_socket(peer->tgid, peer_ino);
	if (pidfd_exited(peer->pidfd)) {
		snprintf(why, why_len, "caller pid %d exited before it could be identified",
			 (int)peer->tgid);
		return -ESRCH;
	}
	if (r == -ENOENT) {
		snprintf(why, why_len,
			 "pid %d does not hold the connection: the process that connected "
			 "handed it on or exited (its pid may belong to another process now)",
			 (int)peer->tgid);
		return -EPERM;
	}
	/* SO_PEERPIDFD already names the caller: a big table is no reason to refuse it there. */
	if (r == -E2BIG && peer->pidfd_from_socket)
		return 0;
	if (r == -E2BIG) {
		snprintf(why, why_len,
			 "pid %d holds more than %d descriptors; canisterd looks at no more "
			 "for its end of the connection",
			 (int)peer->tgid, PEER_FD_SCAN_MAX);
		return -EPERM;
	}
	if (r < 0) {
		snprintf(why, why_len, "cannot read the descriptors of pid %d: %s", (int)peer->tgid,
			 strerror(-r));
		return r;
	}
	return 0;
}

int peer_identify(int conn_fd, struct peer *ret_peer, char *why, size_t why_len)
{
	struct peer peer = { .pidfd = -1 };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int pidfd, r;

	if (!peer_state.probed)
		peer_probe();
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
	 * pins whoever has the pid at this moment, which may be another process
	 * than the one that connected if that one has exited since; the check
	 * below tells them apart.
	 */
	len = sizeof(pidfd);
	if (peer_state.method.peerpidfd &&
	    getsockopt(conn_fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0) {
		peer.pidfd = pidfd;
		peer.pidfd_from_socket = true;
	} else if (peer_state.method.peerpidfd) {
		/* The connecting process is gone: the kernel gives no pidfd for it. */
		snprintf(why, why_len, "caller pid %d exited before it could be identified",
			 (int)peer.tgid);
		return -ESRCH;
	} else {
		peer.pidfd = pidfd_open(peer.tgid, 0);
		if (peer.pidfd < 0) {
			r = errno == ESRCH ? -ESRCH : -errno;
			snprintf(why, why_len, "caller pid %d: %s", (int)peer.tgid,
				 strerror(errno));
			return r;
		}
	}

	*ret_peer = peer;
	return 0;
}

int peer_verify(int conn_fd, const struct peer *peer, char *why, size_t why_len)
{
	/*
	 * Checked on every kernel where sock_diag answers, so that the path old
	 * kernels depend on runs on new ones too; SO_PEERPIDFD alone would do.
	 */
	if (peer_state.method.unix_diag)
		return check_holds_connection(conn_fd, peer, why, why_len);
	if (!peer->pidfd_from_socket) {
		snprintf(why, why_len,
			 "canisterd cannot tell who pid %d is on this kernel: it has no "
			 "SO_PEERPIDFD (Linux 6.5) and %s",
			 (int)peer->tgid, peer_state.method.unix_diag_error);
		return -EPERM;
	}
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
