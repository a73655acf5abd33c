// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a queue bounded by events and by bytes that never makes its producer wait. */
#include "lib/queue.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/*
 * Slots come in blocks, allocated as the queue fills and freed as it
 * drains: a queue allowed a million events costs nothing while it holds few.
 */
#define BLOCK_SLOTS 256

struct block {
	struct block *_Atomic next;
	struct canister_queue_item *slots[BLOCK_SLOTS];
};

struct canister_queue {
	size_t max_items, max_bytes;
	int wake_fd; /* eventfd: readable when the consumer should look again */

	/*
	 * Producers and the consumer share no lock, so a producer never waits
	 * for a consumer that was preempted while holding one.  head and tail
	 * only grow; item i sits in slot i % BLOCK_SLOTS of its block.  The
	 * producer fills a slot, then moves tail past it; the consumer reads
	 * a slot only below tail, then moves head past it.
	 */
	pthread_mutex_t producer_lock; /* producers take turns: tail_block, tail */
	struct block *tail_block;
	atomic_size_t tail;
	pthread_mutex_t consumer_lock; /* consumers take turns: head_block, head */
	struct block *head_block;
	atomic_size_t head;

	atomic_size_t bytes; /* added before tail moves, taken away after head moves */
	atomic_bool closed;
	atomic_bool asleep; /* the consumer is between sleep_begin and sleep_end */

	atomic_uint_fast64_t pushed, popped, discarded;
	atomic_uint_fast64_t refused_items, refused_bytes, refused_memory, refused_closed;
};

void canister_queue_item_init(struct canister_queue_item *item, size_t bytes,
			      void (*release)(struct canister_queue_item *item))
{
	atomic_init(&item->refs, 1);
	item->bytes = bytes;
	item->release = release;
}

struct canister_queue_item *canister_queue_item_get(struct canister_queue_item *item)
{
	atomic_fetch_add_explicit(&item->refs, 1, memory_order_relaxed);
	return item;
}

void canister_queue_item_put(struct canister_queue_item *item)
{
	/* Acquire-release: every holder's reads of the item come before its release. */
	if (atomic_fetch_sub_explicit(&item->refs, 1, memory_order_acq_rel) == 1)
		item->release(item);
}

int canister_queue_new(size_t max_items, size_t max_bytes, struct canister_queue **ret_queue)
{
	struct canister_queue *queue;
	int r;

	if (!max_items || !max_bytes)
		return -EINVAL;
	queue = calloc(1, sizeof(*queue));
	if (!queue)
		return -ENOMEM;
	queue->head_block = queue->tail_block = calloc(1, sizeof(struct block));
	if (!queue->head_block) {
		free(queue);
		return -ENOMEM;
	}
	queue->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (queue->wake_fd < 0) {
		r = -errno;
		free(queue->head_block);
		free(queue);
		return r;
	}
	queue->max_items = max_items;
	queue->max_bytes = max_bytes;
	pthread_mutex_init(&queue->producer_lock, NULL);
	pthread_mutex_init(&queue->consumer_lock, NULL);
	*ret_queue = queue;
	return 0;
}

void canister_queue_free(struct canister_queue *queue)
{
	struct block *block;

	if (!queue)
		return;
	canister_queue_discard(queue);
	block = queue->head_block;
	while (block) {
		struct block *next = atomic_load(&block->next);

		free(block);
		block = next;
	}
	close(queue->wake_fd);
	pthread_mutex_destroy(&queue->producer_lock);
	pthread_mutex_destroy(&queue->consumer_lock);
	free(queue);
}

static void wake(struct canister_queue *queue)
{
	uint64_t one = 1;

	if (write(queue->wake_fd, &one, sizeof(one)) < 0) {
		/* Only a counter at its limit refuses: the fd is readable then anyway. */
	}
}

static int refuse(atomic_uint_fast64_t *counter, int r)
{
	atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
	return r;
}

/* Under producer_lock. */
static int push_locked(struct canister_queue *queue, struct canister_queue_item *item)
{
	size_t tail = atomic_load_explicit(&queue->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&queue->head, memory_order_acquire);
	size_t bytes = atomic_load(&queue->bytes);

	if (atomic_load(&queue->closed))
		return refuse(&queue->refused_closed, -EPIPE);
	if (tail - head >= queue->max_items)
		return refuse(&queue->refused_items, -ENOBUFS);
	/* The consumer only ever lowers bytes meanwhile: the check errs on the safe side. */
	if (item->bytes > queue->max_bytes || bytes > queue->max_bytes - item->bytes)
		return refuse(&queue->refused_bytes, -ENOSPC);
	if (tail && tail % BLOCK_SLOTS == 0) {
		struct block *block = calloc(1, sizeof(*block));

		if (!block)
			return refuse(&queue->refused_memory, -ENOMEM);
		/* Release: the consumer follows next only for an item below tail. */
		atomic_store_explicit(&queue->tail_block->next, block, memory_order_release);
		queue->tail_block = block;
	}
	queue->tail_block->slots[tail % BLOCK_SLOTS] = canister_queue_item_get(item);
	/* Counted before the item is visible: the consumer never takes away more than is there. */
	atomic_fetch_add(&queue->bytes, item->bytes);
	/* Sequentially consistent, against canister_queue_sleep_begin(). */
	atomic_store(&queue->tail, tail + 1);
	atomic_fetch_add_explicit(&queue->pushed, 1, memory_order_relaxed);
	return 0;
}

int canister_queue_push(struct canister_queue *queue, struct canister_queue_item *item)
{
	int r;

	pthread_mutex_lock(&queue->producer_lock);
	r = push_locked(queue, item);
	pthread_mutex_unlock(&queue->producer_lock);
	/* A consumer that is busy looks at the queue again by itself: no system call then. */
	if (r == 0 && atomic_load(&queue->asleep))
		wake(queue);
	return r;
}

/* Under consumer_lock; the caller saw head < tail. */
static struct canister_queue_item *take_locked(struct canister_queue *queue, size_t head)
{
	struct canister_queue_item *item;

	if (head && head % BLOCK_SLOTS == 0) {
		struct block *done = queue->head_block;

		/* The producer linked the next block before it moved tail into it. */
		queue->head_block = atomic_load_explicit(&done->next, memory_order_acquire);
		free(done);
	}
	item = queue->head_block->slots[head % BLOCK_SLOTS];
	atomic_fetch_sub(&queue->bytes, item->bytes);
	/* Release: the slot is read before a producer may fill it again. */
	atomic_store_explicit(&queue->head, head + 1, memory_order_release);
	return item;
}

int canister_queue_pop(struct canister_queue *queue, struct canister_queue_item **ret_item)
{
	size_t head;
	int r = 0;

	pthread_mutex_lock(&queue->consumer_lock);
	head = atomic_load_explicit(&queue->head, memory_order_relaxed);
	if (head == atomic_load(&queue->tail)) {
		/*
		 * closed is set under producer_lock, after every push that got
		 * the lock first moved tail: once closed is seen, a second look
		 * at tail is the last word.
		 */
		if (!atomic_load(&queue->closed))
			r = -EAGAIN;
		else if (head == atomic_load(&queue->tail))
			r = -EPIPE;
	}
	if (r == 0) {
		*ret_item = take_locked(queue, head);
		atomic_fetch_add_explicit(&queue->popped, 1, memory_order_relaxed);
	}
	pthread_mutex_unlock(&queue->consumer_lock);
	return r;
}

size_t canister_queue_discard(struct canister_queue *queue)
{
	struct canister_queue_item *item;
	size_t count = 0;

	pthread_mutex_lock(&queue->consumer_lock);
	for (;;) {
		size_t head = atomic_load_explicit(&queue->head, memory_order_relaxed);

		if (head == atomic_load_explicit(&queue->tail, memory_order_acquire))
			break;
		item = take_locked(queue, head);
		canister_queue_item_put(item);
		count++;
	}
	pthread_mutex_unlock(&queue->consumer_lock);
	atomic_fetch_add_explicit(&queue->discarded, count, memory_order_relaxed);
	return count;
}

/*
 * The consumer says it will sleep, then looks at the queue once more; a
 * producer publishes its item, then looks at asleep.  Both pairs are
 * sequentially consistent, so one of the two sees the other: an item
 * queued meanwhile is either seen here or wakes the consumer.
 */
bool canister_queue_sleep_begin(struct canister_queue *queue)
{
	atomic_store(&queue->asleep, true);
	if (atomic_load(&queue->tail) != atomic_load(&queue->head) || atomic_load(&queue->closed)) {
		atomic_store(&queue->asleep, false);
		return false;
	}
	return true;
}

void canister_queue_poke(struct canister_queue *queue)
{
	if (atomic_load(&queue->asleep))
		wake(queue);
}

void canister_queue_sleep_end(struct canister_queue *queue)
{
	uint64_t count;

	atomic_store(&queue->asleep, false);
	if (read(queue->wake_fd, &count, sizeof(count)) < 0) {
		/* EAGAIN: nothing pending; the queue is looked at either way. */
	}
}

int canister_queue_fd(const struct canister_queue *queue)
{
	return queue->wake_fd;
}

uint64_t canister_queue_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int canister_queue_wait(struct canister_queue *queue, int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? 0 : canister_queue_now_ms() + (uint64_t)timeout_ms;
	struct pollfd pfd = { .fd = queue->wake_fd, .events = POLLIN };

	for (;;) {
		int n, left = -1;

		if (timeout_ms >= 0) {
			uint64_t now = canister_queue_now_ms();

			left = now >= deadline ? 0 : (int)(deadline - now);
		}
		if (!canister_queue_sleep_begin(queue))
			return 0;
		n = poll(&pfd, 1, left);
		canister_queue_sleep_end(queue);
		if (n > 0)
			return 0;
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			return -ETIMEDOUT;
	}
}

void canister_queue_close(struct canister_queue *queue)
{
	pthread_mutex_lock(&queue->producer_lock);
	atomic_store(&queue->closed, true);
	pthread_mutex_unlock(&queue->producer_lock);
	wake(queue);
}

bool canister_queue_closed(const struct canister_queue *queue)
{
	return atomic_load(&queue->closed);
}

void canister_queue_stats(const struct canister_queue *queue, struct canister_queue_stats *ret)
{
	size_t head = atomic_load(&queue->head);
	size_t tail = atomic_load(&queue->tail);

	*ret = (struct canister_queue_stats){
		.items = tail - head,
		.bytes = atomic_load(&queue->bytes),
		.max_items = queue->max_items,
		.max_bytes = queue->max_bytes,
		.pushed = atomic_load_explicit(&queue->pushed, memory_order_relaxed),
		.popped = atomic_load_explicit(&queue->popped, memory_order_relaxed),
		.refused_items = atomic_load_explicit(&queue->refused_items, memory_order_relaxed),
		.refused_bytes = atomic_load_explicit(&queue->refused_bytes, memory_order_relaxed),
		.refused_memory =
			atomic_load_explicit(&queue->refused_memory, memory_order_relaxed),
		.refused_closed =
			atomic_load_explicit(&queue->refused_closed, memory_order_relaxed),
		.discarded = atomic_load_explicit(&queue->discarded, memory_order_relaxed),
	};
}
