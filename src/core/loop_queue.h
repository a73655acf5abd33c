/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a bounded queue from any thread to the main loop (records made by judges). */
#ifndef CANISTERD_LOOP_QUEUE_H
#define CANISTERD_LOOP_QUEUE_H

#include "core/canisterd.h"
#include "core/mainloop.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Judges run on the gate's workers and BPF readers, but canister's audit
 * log, its subscribers and the sinks belong to the main loop: an item is
 * queued here (bounded: one that finds the queue full is counted lost and
 * dropped, never waited for, since a judge must answer in bounded time) and
 * delivered by the loop.
 */
struct loop_queue_item {
	struct loop_queue_item *next;
};

struct loop_queue {
	size_t max;				       /* items held at most */
	void (*deliver)(struct loop_queue_item *item); /* main loop; frees @item */
	void (*discard)(struct loop_queue_item *item); /* frees an undelivered one */
	/* Private. */
	pthread_mutex_t lock;
	struct loop_source source;
	int event_fd;
	struct loop_queue_item *head, **tail;
	size_t queued;
	uint64_t lost;
};

/* The fields a queue starts with; @max, @deliver and @discard the caller's. */
#define LOOP_QUEUE_INIT(q, max_items, deliver_fn, discard_fn)                         \
	{                                                                             \
		.max = (max_items), .deliver = (deliver_fn), .discard = (discard_fn), \
		.lock = PTHREAD_MUTEX_INITIALIZER, .event_fd = -1, .tail = &(q).head  \
	}

/* loop_queue_open() - deliveries start.  Returns 0 or -errno with @why. */
int loop_queue_open(struct canisterd *d, struct loop_queue *q, char *why, size_t why_len);

/* loop_queue_close() - what is queued is delivered, then pushes are counted lost. */
void loop_queue_close(struct canisterd *d, struct loop_queue *q);

/*
 * loop_queue_push() - @item to the main loop.  Any thread, never blocks
 * beyond the queue's lock.  false: the queue is full or closed; @item is
 * discarded and counted lost (the caller logs what it was).
 */
bool loop_queue_push(struct loop_queue *q, struct loop_queue_item *item);

/* loop_queue_count_lost() - one more lost (an item that could not even be made). */
void loop_queue_count_lost(struct loop_queue *q);

uint64_t loop_queue_lost(struct loop_queue *q);

#endif
