/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a queue bounded by events and by bytes that never makes its producer wait. */
#ifndef CANISTER_LIB_QUEUE_H
#define CANISTER_LIB_QUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What a queue holds: embed it in the event and give a release function.
 * One item may sit in several queues at once (one copy of an event feeds
 * every sink and plugin that takes it): each queue holds a reference, and
 * the last reference let go releases the item.
 */
struct canister_queue_item {
	atomic_uint refs;
	size_t bytes; /* what the item counts against a queue's byte bound */
	void (*release)(struct canister_queue_item *item);
};

/* canister_queue_item_init() - one reference, the caller's. */
void canister_queue_item_init(struct canister_queue_item *item, size_t bytes,
			      void (*release)(struct canister_queue_item *item));
struct canister_queue_item *canister_queue_item_get(struct canister_queue_item *item);
/* canister_queue_item_put() - let go of a reference; the last one releases the item. */
void canister_queue_item_put(struct canister_queue_item *item);

struct canister_queue;

/* Counters since the queue was made; any thread may read them. */
struct canister_queue_stats {
	size_t items, bytes; /* queued now */
	size_t max_items, max_bytes;
	uint64_t pushed;	 /* accepted */
	uint64_t popped;	 /* taken by the consumer */
	uint64_t refused_items;	 /* max_items were queued */
	uint64_t refused_bytes;	 /* the item would have taken the queue past max_bytes */
	uint64_t refused_memory; /* no memory for the queue's own bookkeeping */
	uint64_t refused_closed; /* pushed after canister_queue_close() */
	uint64_t discarded;	 /* let go unconsumed by canister_queue_discard() */
};

/*
 * canister_queue_new() - a queue of at most @max_items items and @max_bytes
 * bytes (both at least 1).  Memory grows with what is queued, not with the
 * bounds.  Returns 0, -EINVAL (a bound is 0), -ENOMEM, or the -errno of
 * eventfd().
 *
 * Any number of threads may push; they wait only for each other, never for
 * the consumer.  One thread at a time consumes (pop, wait, discard).
 */
int canister_queue_new(size_t max_items, size_t max_bytes, struct canister_queue **ret_queue);

/* canister_queue_free() - let go of what is still queued; nobody may use @queue any more. */
void canister_queue_free(struct canister_queue *queue);

/*
 * canister_queue_push() - queue @item, taking a reference of its own, or
 * refuse it at once and count why.  Returns, in the order checked:
 *   0        queued
 *   -EPIPE   the queue is closed
 *   -ENOBUFS max_items are queued
 *   -ENOSPC  the item's bytes would take the queue past max_bytes (an item
 *            larger than max_bytes is always refused)
 *   -ENOMEM  no memory for a new block of slots
 */
int canister_queue_push(struct canister_queue *queue, struct canister_queue_item *item);

/*
 * canister_queue_pop() - the consumer takes the oldest item; its reference
 * is the caller's.  Returns 0, -EAGAIN (empty), or -EPIPE (empty and
 * closed: nothing will ever come again).
 */
int canister_queue_pop(struct canister_queue *queue, struct canister_queue_item **ret_item);

/*
 * canister_queue_wait() - the consumer waits up to @timeout_ms (-1: no
 * limit) until an item is queued, the queue is closed, or it is poked.
 * Returns 0 then, -ETIMEDOUT otherwise.
 */
int canister_queue_wait(struct canister_queue *queue, int timeout_ms);

/*
 * For a consumer that waits on other descriptors too: call
 * canister_queue_sleep_begin(); when it returns true, poll
 * canister_queue_fd() for POLLIN with the others, then call
 * canister_queue_sleep_end().  When it returns false an item is queued or
 * the queue is closed: do not sleep.  Producers make the fd readable only
 * between the two calls, so a busy consumer costs them no system call;
 * canister_queue_close() makes it readable whenever it is called.
 */
bool canister_queue_sleep_begin(struct canister_queue *queue);
/* canister_queue_poke() - make a sleeping consumer look again (the producer has news for it). */
void canister_queue_poke(struct canister_queue *queue);
void canister_queue_sleep_end(struct canister_queue *queue);
int canister_queue_fd(const struct canister_queue *queue);

/*
 * canister_queue_close() - refuse every push from now on (-EPIPE) and wake
 * the consumer, which still pops what was queued before.  Any thread; more
 * than once is harmless.
 */
void canister_queue_close(struct canister_queue *queue);
bool canister_queue_closed(const struct canister_queue *queue);

/* canister_queue_discard() - the consumer lets go of everything queued; returns how many. */
size_t canister_queue_discard(struct canister_queue *queue);

void canister_queue_stats(const struct canister_queue *queue, struct canister_queue_stats *ret);

/* canister_queue_now_ms() - CLOCK_MONOTONIC in milliseconds: the clock of the users' deadlines. */
uint64_t canister_queue_now_ms(void);

#endif
