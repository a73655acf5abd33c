// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the epoll loop; each watched fd brings the handler that serves it. */
#include "core/mainloop.h"

#include "core/log.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

int loop_add(struct canisterd *d, int fd, struct loop_source *source)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = source };

	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int r = -errno;

		log_error("epoll_ctl: %s", strerror(errno));
		return r;
	}
	return 0;
}

void loop_remove(struct canisterd *d, int fd)
{
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_DEL, fd, NULL) < 0 && errno != ENOENT &&
	    errno != EBADF)
		log_warning("epoll_ctl(DEL): %s", strerror(errno));
}

int loop_run(struct canisterd *d)
{
	while (!d->stopping) {
		struct epoll_event ready[16];
		int n = epoll_wait(d->epoll_fd, ready, 16, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		/*
		 * A handler may free its own source (a client that hung up); that
		 * is safe because epoll reports each fd at most once per call.
		 */
		for (int i = 0; i < n; i++) {
			struct loop_source *source = ready[i].data.ptr;

			source->ready(d, source);
		}
	}
	return 0;
}
