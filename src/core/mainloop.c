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
static struct epoll_event batch[BATCH_MAX];
static int batch_len, batch_next;

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
	for (int i = batch_next; i < batch_len; i++) {
		const struct loop_source *source = batch[i].data.ptr;

		if (source && source->fd == fd)
			batch[i].data.ptr = NULL;
	}
}

int loop_run(struct canisterd *d)
{
	while (!d->stopping) {
		int n = epoll_wait(d->epoll_fd, batch, BATCH_MAX, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (batch_len = n, batch_next = 0; batch_next < batch_len;) {
			struct loop_source *source = batch[batch_next++].data.ptr;

			if (source)
				source->ready(d, source);
		}
		batch_len = batch_next = 0;
	}
	return 0;
}
