// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a helper process that works in a container's root, under a deadline. */
#include "core/in_root.h"

#include "core/log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* An abandoned helper not ended this long after its kill is stuck: logged, counted. */
#define STUCK_AFTER_MS 1000

struct abandoned {
	pid_t pid;
	int pidfd;
	uint64_t since_ms;
	bool logged;
	const char *what;
};

/* Abandoned by the main loop or by a capability's thread, reaped by the main loop's tick. */
static struct {
	pthread_mutex_t lock;
	struct abandoned *list;
	size_t count, cap;
	uint64_t started, killed, abandoned;
} helpers = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Every descriptor closed but @keep's and @sock: sorted, then the gaps. */
static void close_others(const int *keep, unsigned int keep_count, int sock)
{
	int kept[IN_ROOT_KEEP_MAX + 1], n = 0, next = 0;

	kept[n++] = sock;
	for (unsigned int i = 0; i < keep_count && i < IN_ROOT_KEEP_MAX; i++)
		if (keep[i] >= 0)
			kept[n++] = keep[i];
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && kept[j] < kept[j - 1]; j--) {
			int swap = kept[j];

			kept[j] = kept[j - 1];
			kept[j - 1] = swap;
		}
	for (int i = 0; i < n; i++) {
		if (kept[i] > next)
			syscall(SYS_close_range, next, kept[i] - 1, 0);
		next = kept[i] + 1;
	}
	syscall(SYS_close_range, next, ~0U, 0);
}

int in_root_start(struct in_root *h, const char *what, unsigned int deadline_ms, const int *keep,
		  unsigned int keep_count, in_root_fn fn, void *arg, char *why, size_t why_len)
{
	pid_t parent = getpid(), pid;
	int pair[2], r;

	*h = (struct in_root){ .pidfd = -1, .sock = -1, .what = what };
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		r = -errno;
		snprintf(why, why_len, "socketpair for %s: %s", what, strerror(-r));
		return r;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		snprintf(why, why_len, "fork of %s: %s", what, strerror(-r));
		close(pair[0]);
		close(pair[1]);
		return r;
	}
	if (pid == 0) {
		close_others(keep, keep_count, pair[1]);
		/* It outlives nothing of canisterd's: a helper of a dead daemon has no one to tell.
		 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		fn(pair[1], arg);
		_exit(0);
	}
	close(pair[1]);
	/* Our own child, not reaped before we wait for it: the pid is still its. */
	h->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (h->pidfd < 0) {
		r = -errno;
		snprintf(why, why_len, "pidfd of %s: %s", what, strerror(-r));
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(pair[0]);
		return r;
	}
	h->pid = pid;
	h->sock = pair[0];
	if (deadline_ms) {
		clock_gettime(CLOCK_MONOTONIC, &h->deadline);
		h->deadline.tv_sec += deadline_ms / 1000;
		h->deadline.tv_nsec += (long)(deadline_ms % 1000) * 1000000;
		if (h->deadline.tv_nsec >= 1000000000) {
			h->deadline.tv_sec++;
			h->deadline.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&helpers.lock);
	helpers.started++;
	pthread_mutex_unlock(&helpers.lock);
	return 0;
}

int in_root_send(int sock, uint32_t tag, int err, const void *payload, size_t size, int fd)
{
	char buf[IN_ROOT_MSG_MAX];
	union {
		struct cmsghdr head;
		char bytes[CMSG_SPACE(sizeof(int))];
	} control = { 0 };
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	long len = in_root_msg_encode(buf, sizeof(buf), tag, err, payload, size);
	ssize_t n;

	if (len < 0)
		return (int)len;
	iov = (struct iovec){ .iov_base = buf, .iov_len = (size_t)len };
	if (fd >= 0) {
		struct cmsghdr *c = &control.head;

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		msg.msg_control = control.bytes;
		msg.msg_controllen = sizeof(control.bytes);
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == len ? 0 : -EPIPE;
}

int in_root_recv(struct in_root *h, void *buf, struct in_root_msg *ret, int *ret_fd)
{
	union {
		struct cmsghdr head;
		char bytes[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = IN_ROOT_MSG_MAX };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.bytes,
			      .msg_controllen = sizeof(control.bytes) };
	struct cmsghdr *c;
	int fd = -1, r;
	ssize_t n;

	if (ret_fd)
		*ret_fd = -1;
	do
		n = recvmsg(h->sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		return -EPIPE;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)) && fd < 0)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	r = msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC) ? -EBADMSG
						     : in_root_msg_decode(buf, (size_t)n, ret);
	if (r < 0 || !ret_fd) {
		if (fd >= 0)
			close(fd);
		return r < 0 ? r : 1;
	}
	*ret_fd = fd;
	return 1;
}

/* Milliseconds until @h's deadline, rounded up (0 past it), or -1 without one. */
static int left_ms(const struct in_root *h)
{
	struct timespec now;
	int64_t left_ns;

	if (!h->deadline.tv_sec)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left_ns = (int64_t)(h->deadline.tv_sec - now.tv_sec) * 1000000000 +
		  (h->deadline.tv_nsec - now.tv_nsec);
	/* Up: a wait that ends a part of a millisecond early would find it not expired yet. */
	return left_ns <= 0 ? 0 : (int)((left_ns + 999999) / 1000000);
}

int in_root_wait(const struct in_root *h, int ms)
{
	struct pollfd p = { .fd = h->sock, .events = POLLIN };
	int left = left_ms(h), r;

	if (left < 0 || (ms >= 0 && ms < left))
		left = ms;
	do
		r = poll(&p, 1, left);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r > 0;
}

bool in_root_expired(const struct in_root *h, const struct timespec *now)
{
	if (!h->deadline.tv_sec)
		return false;
	return now->tv_sec > h->deadline.tv_sec ||
	       (now->tv_sec == h->deadline.tv_sec && now->tv_nsec >= h->deadline.tv_nsec);
}

void in_root_kill(struct in_root *h)
{
	if (!h->pid || h->killed)
		return;
	h->killed = true;
	syscall(SYS_pidfd_send_signal, h->pidfd, SIGKILL, NULL, 0);
	pthread_mutex_lock(&helpers.lock);
	helpers.killed++;
	pthread_mutex_unlock(&helpers.lock);
}

/* Reaped: its status taken, so that no zombie stays. */
static bool reaped(int pidfd)
{
	siginfo_t info = { 0 };

	return waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG) == 0 &&
	       info.si_pid != 0;
}

bool in_root_ended(const struct in_root *h)
{
	struct pollfd p = { .fd = h->pidfd, .events = POLLIN };

	return !h->pid || poll(&p, 1, 0) > 0;
}

bool in_root_reap(struct in_root *h)
{
	if (!h->pid)
		return true;
	if (!reaped(h->pidfd))
		return false;
	close(h->pidfd);
	close(h->sock);
	h->pidfd = h->sock = -1;
	h->pid = 0;
	return true;
}

bool in_root_end(struct in_root *h, bool kill)
{
	struct abandoned *slot;
	int left = left_ms(h);

	if (!h->pid)
		return true;
	if (kill)
		in_root_kill(h);
	/* Its socket first: a helper still sending gets EPIPE and ends. */
	close(h->sock);
	h->sock = -1;
	if (left > 0) {
		struct pollfd p = { .fd = h->pidfd, .events = POLLIN };

		while (poll(&p, 1, left) < 0 && errno == EINTR)
			;
	}
	if (in_root_reap(h))
		return true;
	/* SIGKILL ends it at its return to user space; a wait it cannot leave, later. */
	pthread_mutex_lock(&helpers.lock);
	if (helpers.count == helpers.cap) {
		size_t cap = helpers.cap ? helpers.cap * 2 : 8;
		struct abandoned *grown = realloc(helpers.list, cap * sizeof(*grown));

		if (grown) {
			helpers.list = grown;
			helpers.cap = cap;
		}
	}
	helpers.abandoned++;
	if (helpers.count < helpers.cap) {
		slot = &helpers.list[helpers.count++];
		*slot = (struct abandoned){
			.pid = h->pid, .pidfd = h->pidfd, .since_ms = now_ms(), .what = h->what
		};
		h->pidfd = -1;
	}
	pthread_mutex_unlock(&helpers.lock);
	if (h->pidfd >= 0) {
		log_warning("%s (pid %d) is left running: no memory to keep it; it stays a zombie "
			    "when it ends",
			    h->what, (int)h->pid);
		close(h->pidfd);
		h->pidfd = -1;
	}
	h->pid = 0;
	return false;
}

void in_root_tick(void)
{
	uint64_t now = now_ms();
	size_t i = 0;

	pthread_mutex_lock(&helpers.lock);
	while (i < helpers.count) {
		struct abandoned *a = &helpers.list[i];

		if (reaped(a->pidfd)) {
			if (a->logged)
				log_info("%s (pid %d) ended at last, %llu ms after it was killed: "
					 "reaped",
					 a->what, (int)a->pid,
					 (unsigned long long)(now - a->since_ms));
			close(a->pidfd);
			*a = helpers.list[--helpers.count];
			continue;
		}
		if (!a->logged && now - a->since_ms >= STUCK_AFTER_MS) {
			a->logged = true;
			log_warning(
				"%s (pid %d) did not end within %d ms of its SIGKILL: it waits "
				"in a filesystem that does not answer (uninterruptible); reaped "
				"when that wait ends",
				a->what, (int)a->pid, STUCK_AFTER_MS);
		}
		i++;
	}
	pthread_mutex_unlock(&helpers.lock);
}

void in_root_stats(struct in_root_stats *ret)
{
	uint64_t now = now_ms();

	pthread_mutex_lock(&helpers.lock);
	ret->started = helpers.started;
	ret->killed = helpers.killed;
	ret->abandoned = helpers.abandoned;
	ret->stuck = 0;
	for (size_t i = 0; i < helpers.count; i++)
		ret->stuck += now - helpers.list[i].since_ms >= STUCK_AFTER_MS;
	pthread_mutex_unlock(&helpers.lock);
}
