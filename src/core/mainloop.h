/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the epoll loop; each watched fd brings the handler that serves it. */
#ifndef CANISTERD_MAINLOOP_H
#define CANISTERD_MAINLOOP_H

#include "core/canisterd.h"

/*
 * What an epoll cookie points at.  Embed it as the first member of whatever
 * the handler needs (a client connection, say) and cast back in the handler.
 */
struct loop_source {
	void (*ready)(struct canisterd *d, struct loop_source *source);
	int fd; /* set by loop_add() */
};

/* loop_add() - watch @fd for input; @source must outlive the watch. Returns 0 or -errno. */
int loop_add(struct canisterd *d, int fd, struct loop_source *source);

/*
 * loop_remove() - stop watching @fd; call it before closing a watched fd.
 * epoll forgets an fd only when every descriptor of its open file is
 * closed, and a forked child may hold a copy for a while: without this,
 * the loop would go on reporting a source that has been freed.  A report
 * of @fd still pending in the batch being served is forgotten too, so its
 * source may be freed as soon as this returns.
 */
void loop_remove(struct canisterd *d, int fd);

/*
 * loop_run() - call the handler of each ready fd until d->stopping is set.
 * Returns 0 on a requested stop, -errno when epoll itself fails.
 */
int loop_run(struct canisterd *d);

#endif
