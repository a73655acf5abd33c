// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a bounded queue from any thread to the main loop (records made by judges). */
#include "core/loop_queue.h"

#include "core/log.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

static struct loop_queue_item *take_all(struct loop_queue *q)
{
	struct loop_queue_item *all;

	pthread_mutex_lock(&q->lock);
	all = q->head;
	q->head = NULL;
	q->tail = &q->head;
	q->queued = 0;
	pthread_mutex_unlock(&q->lock);
	return all;
}

static void deliver_all(struct loop_queue *q)
{
	struct loop_queue_item *item = take_all(q);

	while (item) {
		struct loop_queue_item *next = item->next;

		q->deliver(item);
		item = next;
	}
}

static void ready(struct canisterd *d, struct loop_source *source)
{
	struct loop_queue *q =
		(struct loop_queue *)((char *)source - offsetof(struct loop_queue, source));
	uint64_t count;

	(void)d;
	if (read(source->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		log_warning("record queue: %s", strerror(errno));
	deliver_all(q);
}

int loop_queue_open(struct canisterd *d, struct loop_queue *q, char *why, size_t why_len)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), r;

	if (fd < 0) {
		r = -errno;
		snprintf(why, why_len, "eventfd: %s", strerror(-r));
		return r;
	}
	q->source.ready = ready;
	r = loop_add(d, fd, &q->source);
	if (r < 0) {
		snprintf(why, why_len, "record queue: %s", strerror(-r));
		close(fd);
		return r;
	}
	pthread_mutex_lock(&q->lock);
	q->event_fd = fd;
	pthread_mutex_unlock(&q->lock);
	return 0;
}

void loop_queue_close(struct canisterd *d, struct loop_queue *q)
{
	int fd;

	pthread_mutex_lock(&q->lock);
	fd = q->event_fd;
	q->event_fd = -1;
	pthread_mutex_unlock(&q->lock);
	if (fd < 0)
		return;
	/* What the judges queued before they stopped is still delivered. */
	deliver_all(q);
	loop_remove(d, fd);
	close(fd);
}

bool loop_queue_push(struct loop_queue *q, struct loop_queue_item *item)
{
	const uint64_t one = 1;
	bool taken;
	int fd;

	item->next = NULL;
	pthread_mutex_lock(&q->lock);
	fd = q->event_fd;
	taken = fd >= 0 && q->queued < q->max;
	if (taken) {
		*q->tail = item;
		q->tail = &item->next;
		q->queued++;
		/*
		 * Under the lock, so that a close cannot slip in and the fd be
		 * another file's; an eventfd write cannot block (the counter is
		 * far from its limit).
		 */
		if (write(fd, &one, sizeof(one)) < 0)
			log_warning("record queue: %s", strerror(errno));
	} else {
		q->lost++;
	}
	pthread_mutex_unlock(&q->lock);
	if (!taken)
		q->discard(item);
	return taken;
}

void loop_queue_count_lost(struct loop_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->lost++;
	pthread_mutex_unlock(&q->lock);
}

uint64_t loop_queue_lost(struct loop_queue *q)
{
	uint64_t lost;

	pthread_mutex_lock(&q->lock);
	lost = q->lost;
	pthread_mutex_unlock(&q->lock);
	return lost;
}
