// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the epoll loop that multiplexes signals, the ring buffer and control clients. */
#include "daemon/mainloop.h"

#include "daemon/control.h"
#include "daemon/events.h"
#include "daemon/log.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

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

static void handle_signal(struct canisterd *d, void (*reload)(struct canisterd *d))
{
	struct signalfd_siginfo info;

	while (read(d->signal_fd, &info, sizeof(info)) == sizeof(info)) {
		switch (info.ssi_signo) {
		case SIGHUP:
			log_info("SIGHUP from pid %u: reloading the configuration", info.ssi_pid);
			reload(d);
			break;
		case SIGINT:
		case SIGTERM:
			log_info("%s from pid %u: stopping", strsignal(info.ssi_signo),
				 info.ssi_pid);
			d->stopping = true;
			break;
		}
	}
}

int loop_run(struct canisterd *d, void (*reload)(struct canisterd *d))
{
	struct loop_source signal_source = { LOOP_SIGNAL, NULL };
	struct loop_source events_source = { LOOP_EVENTS, NULL };
	struct loop_source listen_source = { LOOP_LISTEN, NULL };
	int r;

	if ((r = loop_add(d, d->signal_fd, &signal_source)) < 0 ||
	    (r = loop_add(d, events_fd(d), &events_source)) < 0 ||
	    (r = loop_add(d, d->listen_fd, &listen_source)) < 0)
		return r;

	while (!d->stopping) {
		struct epoll_event ready[16];
		int n = epoll_wait(d->epoll_fd, ready, 16, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			log_error("epoll_wait: %s", strerror(errno));
			return r;
		}
		for (int i = 0; i < n; i++) {
			struct loop_source *source = ready[i].data.ptr;

			switch (source->kind) {
			case LOOP_SIGNAL:
				handle_signal(d, reload);
				break;
			case LOOP_EVENTS:
				events_drain(d);
				break;
			case LOOP_LISTEN:
				control_accept(d);
				break;
			case LOOP_CLIENT:
				control_serve(d, source->ptr);
				/*
				 * The client may be gone now; later entries of this batch
				 * never point at a client that was freed in it, because
				 * each connection appears at most once per epoll_wait.
				 */
				break;
			}
		}
	}
	/* Records that arrived before the stop are still counted and logged. */
	events_drain(d);
	return 0;
}
