// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the epoll loop; each watched fd brings the handler that serves it. */
#include "core/mainloop.h"

#include "core/log.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#define BATCH_MAX 16

/*
 * The batch being served.  A handler may stop watching another source
 * (and free it) while that source's report is still further down the
 * batch: loop_remove() forgets such reports.
 */
static struct {
	struct epoll_event events[BATCH_MAX];
	int len, next;
} batch;

int loop_add(struct canisterd *d, int fd, struct loop_source *source)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = source };

	source->fd = fd;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int r = -errno;

		log_error("epoll_ctl: %s", strerror(errno));
		return r;
	}
	return 0;
}

void loop_remove(struct canisterd *d, int fd)
{
	/* ENOENT: a source whose loop_add() failed is let go the same way. */
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_DEL, fd, NULL) < 0 && errno != ENOENT &&
	    errno != EBADF)
		log_warning("epoll_ctl(DEL): %s", strerror(errno));
	/* The sources still pending are all alive: a freed one was forgotten here first. */
	for (int i = batch.next; i < batch.len; i++) {
		const struct loop_source *source = batch.events[i].data.ptr;

		if (source && source->fd == fd)
			batch.events[i].data.ptr = NULL;
	}
}

int loop_run(struct canisterd *d)
{
	while (!d->stopping) {
		int n = epoll_wait(d->epoll_fd, batch.events, BATCH_MAX, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (batch.len = n, batch.next = 0; batch.next < batch.len;) {
			struct loop_source *source = batch.events[batch.next++].data.ptr;

			if (source)
				source->ready(d, source);
		}
		batch.len = batch.next = 0;
	}
	return 0;
}
