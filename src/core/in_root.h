/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a helper process that works in a container's root, under a deadline. */
#ifndef CANISTERD_CORE_IN_ROOT_H
#define CANISTERD_CORE_IN_ROOT_H

#include "lib/in_root_msg.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/*
 * A path in a container's root walks that container's filesystems, and one
 * of them (FUSE whose server never answers, a hung NFS mount) can hold the
 * walker for ever, in an uninterruptible wait once the request is sent.
 * canisterd never walks there itself: a forked helper does, and tells its
 * results through a SOCK_SEQPACKET socketpair (in_root_msg.h framing,
 * descriptors by SCM_RIGHTS), while canisterd waits on the socket and the
 * helper's pidfd, never past the deadline.  A helper past it is killed
 * (SIGKILL); one that cannot die yet (the wait above) is handed over to a
 * list of abandoned helpers, counted, and reaped by in_root_tick() when its
 * wait ends: never a zombie, never a blocked caller.
 */
struct in_root {
	pid_t pid;		  /* 0: none */
	int pidfd;		  /* readable once the helper ended */
	int sock;		  /* canisterd's end of the socketpair */
	struct timespec deadline; /* CLOCK_MONOTONIC; tv_sec 0: none (a long-lived helper) */
	bool killed;
	const char *what; /* "the marking helper", for the messages */
};

/*
 * The helper's work: @sock is its end of the socketpair (in_root_send(),
 * recv()).  It runs in a fork of a threaded process: system calls only, no
 * malloc, no stdio.  It returns to end the helper (_exit(0)).
 */
typedef void (*in_root_fn)(int sock, void *arg);

/* Descriptors a helper keeps besides its socket. */
#define IN_ROOT_KEEP_MAX 4

/*
 * in_root_start() - fork a helper that closes every descriptor but @keep
 * (@keep_count of them, at most IN_ROOT_KEEP_MAX; -1 entries ignored) and
 * its socket, so that one stuck in a walk holds none of canisterd's clients'
 * sockets, dies with the thread that started it (PR_SET_PDEATHSIG), and runs
 * @fn(sock, @arg).  Its deadline is @deadline_ms from now (0: none).  @what
 * names it in @why.  Returns 0, or -errno with @why (socketpair, fork, or
 * pidfd_open failed; a helper half made is killed and reaped).
 */
int in_root_start(struct in_root *h, const char *what, unsigned int deadline_ms, const int *keep,
		  unsigned int keep_count, in_root_fn fn, void *arg, char *why, size_t why_len);

/*
 * in_root_send() - in the helper (or canisterd, to a long-lived helper):
 * one message, with descriptor @fd passed along (-1: none).  Returns 0 or
 * -errno (-EPIPE: the other end is gone).  Waits while the socket is full.
 */
int in_root_send(int sock, uint32_t tag, int err, const void *payload, size_t size, int fd);

/*
 * in_root_recv() - one message of the helper's into @buf (IN_ROOT_MSG_MAX
 * bytes) and @ret, without waiting.  A descriptor that came with it goes to
 * *@ret_fd (-1: none; with @ret_fd NULL it is closed).  Returns 1, 0 when
 * none waits, -EPIPE when the helper closed its end (it ended), -EBADMSG
 * or -ERANGE for a message in_root_msg_decode() refuses (or truncated),
 * other -errno of recvmsg().
 */
int in_root_recv(struct in_root *h, void *buf, struct in_root_msg *ret, int *ret_fd);

/*
 * in_root_wait() - wait for a message of the helper's, until its deadline or
 * @ms from now (-1: the deadline alone), whichever comes first.  Returns 1
 * when one waits (or the helper ended: in_root_recv() says -EPIPE), 0 when
 * the time passed, -errno of poll().
 */
int in_root_wait(const struct in_root *h, int ms);

/* in_root_expired() - its deadline passed (CLOCK_MONOTONIC @now); never without one. */
bool in_root_expired(const struct in_root *h, const struct timespec *now);

/* in_root_kill() - SIGKILL, once. */
void in_root_kill(struct in_root *h);

/* in_root_ended() - whether the helper ended (its pidfd says so; true when none). */
bool in_root_ended(const struct in_root *h);

/*
 * in_root_reap() - reap the helper if it ended, without waiting.  Returns
 * true when it did (or there was none): ->pid is then 0, its descriptors
 * closed.
 */
bool in_root_reap(struct in_root *h);

/*
 * in_root_end() - done with the helper: killed first when @kill, waited for
 * until its deadline at most (not at all without one), reaped if it ended,
 * else abandoned: in_root_tick() reaps it when it can.  Returns true when it
 * was reaped now, false when it is abandoned (the caller may say so).
 * ->pid is 0 afterwards, the descriptors closed.
 */
bool in_root_end(struct in_root *h, bool kill);

/* in_root_tick() - main loop: reap the abandoned helpers that ended since. */
void in_root_tick(void);

struct in_root_stats {
	uint64_t started;   /* helpers forked */
	uint64_t killed;    /* past a deadline, or not needed any more */
	uint64_t abandoned; /* not ended when their caller was done with them */
	uint64_t stuck;	    /* of those, not reaped yet */
};
void in_root_stats(struct in_root_stats *ret);

#endif
