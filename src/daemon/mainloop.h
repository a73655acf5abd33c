/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the epoll loop that multiplexes signals, the ring buffer and control clients. */
#ifndef CANISTERD_MAINLOOP_H
#define CANISTERD_MAINLOOP_H

#include "daemon/canisterd.h"

enum loop_kind {
	LOOP_SIGNAL,
	LOOP_EVENTS,
	LOOP_LISTEN,
	LOOP_CLIENT,
};

/* What an epoll cookie points at. */
struct loop_source {
	enum loop_kind kind;
	void *ptr;
};

int loop_add(struct canisterd *d, int fd, struct loop_source *source);

/*
 * loop_run() - serve until SIGINT or SIGTERM; SIGHUP calls @reload.
 * Returns 0 on a requested stop, -errno when the loop itself fails.
 */
int loop_run(struct canisterd *d, void (*reload)(struct canisterd *d));

#endif
