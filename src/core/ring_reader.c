// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a BPF ring buffer read on a thread of its own (ring_reader.h). */
#include "ring_reader.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* How long a poll waits: the bound on ring_reader_stop()'s wait for the thread. */
#define POLL_MS 100

static void *reader(void *arg)
{
	struct ring_reader *r = arg;

	while (!atomic_load(&r->stop)) {
		int n = ring_buffer__poll(r->rb, POLL_MS);

		if (n < 0 && n != -EINTR) {
			log_error("%s: %s stopped: %s", r->capability, r->what, strerror(-n));
			break;
		}
	}
	return NULL;
}

int ring_reader_start(struct ring_reader *r, int map_fd, ring_buffer_sample_fn sample, void *ctx,
		      const char *capability, const char *what, char *why, size_t why_len)
{
	sigset_t all, old;
	int err;

	*r = (struct ring_reader){ .capability = capability, .what = what };
	r->rb = ring_buffer__new(map_fd, sample, ctx, NULL);
	if (!r->rb) {
		err = -errno;
		snprintf(why, why_len, "cannot read %s: %s", what, strerror(-err));
		return err;
	}
	atomic_store(&r->stop, false);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&r->thread, NULL, reader, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err < 0) {
		snprintf(why, why_len, "cannot start the reader of %s: %s", what, strerror(-err));
		ring_buffer__free(r->rb);
		r->rb = NULL;
		return err;
	}
	r->running = true;
	return 0;
}

void ring_reader_stop(struct ring_reader *r)
{
	if (!r->running)
		return;
	atomic_store(&r->stop, true);
	pthread_join(r->thread, NULL);
	r->running = false;
	ring_buffer__free(r->rb);
	r->rb = NULL;
}
