// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the queue that sinks and plugins share, its bounds, close and threads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

struct test_item {
	struct canister_queue_item item; /* first */
	unsigned int producer;
	uint64_t sequence;
};

/* Items made and not yet released, across every test: each must end released exactly once. */
static atomic_long live_items;

static void release_item(struct canister_queue_item *item)
{
	atomic_fetch_sub(&live_items, 1);
	free(item);
}

static struct test_item *new_item(size_t bytes, unsigned int producer, uint64_t sequence)
{
	struct test_item *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	canister_queue_item_init(&t->item, bytes, release_item);
	t->producer = producer;
	t->sequence = sequence;
	atomic_fetch_add(&live_items, 1);
	return t;
}

/* Pushes a new item and lets go of the caller's reference: the queue's is the only one left. */
static int push_new(struct canister_queue *q, size_t bytes, uint64_t sequence)
{
	struct test_item *t = new_item(bytes, 0, sequence);
	int r = canister_queue_push(q, &t->item);

	canister_queue_item_put(&t->item);
	return r;
}

/* Pops one item, checks its sequence number, and lets go of it. */
static void pop_expect(struct canister_queue *q, uint64_t sequence)
{
	struct canister_queue_item *item = NULL;

	assert_int_equal(canister_queue_pop(q, &item), 0);
	assert_non_null(item);
	assert_int_equal(((struct test_item *)item)->sequence, sequence);
	canister_queue_item_put(item);
}

static struct canister_queue *queue(size_t max_items, size_t max_bytes)
{
	struct canister_queue *q = NULL;

	assert_int_equal(canister_queue_new(max_items, max_bytes, &q), 0);
	assert_non_null(q);
	return q;
}

static void test_bounds_must_be_positive(void **state)
{
	struct canister_queue *q = (struct canister_queue *)0x1;

	assert_int_equal(canister_queue_new(0, 100, &q), -EINVAL);
	assert_int_equal(canister_queue_new(100, 0, &q), -EINVAL);
	/* Nothing is written on failure. */
	assert_ptr_equal(q, (struct canister_queue *)0x1);
}

static void test_bounded_by_events(void **state)
{
	struct canister_queue *q = queue(3, 1 << 20);
	struct canister_queue_stats stats;

	for (uint64_t i = 0; i < 3; i++)
		assert_int_equal(push_new(q, 10, i), 0);
	assert_int_equal(push_new(q, 10, 3), -ENOBUFS);
	assert_int_equal(push_new(q, 10, 4), -ENOBUFS);
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.items, 3);
	assert_int_equal(stats.bytes, 30);
	assert_int_equal(stats.pushed, 3);
	assert_int_equal(stats.refused_items, 2);
	assert_int_equal(stats.refused_bytes, 0);
	/* A refused item is the caller's still: it was released, not leaked or kept. */
	assert_int_equal(atomic_load(&live_items), 3);

	/* Room again once the consumer takes one. */
	pop_expect(q, 0);
	assert_int_equal(push_new(q, 10, 5), 0);
	pop_expect(q, 1);
	pop_expect(q, 2);
	pop_expect(q, 5);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
}

static void test_bounded_by_bytes(void **state)
{
	struct canister_queue *q = queue(1000, 100);
	struct canister_queue_stats stats;

	assert_int_equal(push_new(q, 60, 0), 0);
	assert_int_equal(push_new(q, 50, 1), -ENOSPC);
	assert_int_equal(push_new(q, 40, 2), 0); /* exactly full */
	assert_int_equal(push_new(q, 1, 3), -ENOSPC);
	assert_int_equal(push_new(q, 0, 4), 0); /* an empty item takes no bytes */
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.bytes, 100);
	assert_int_equal(stats.items, 3);
	assert_int_equal(stats.refused_bytes, 2);
	assert_int_equal(stats.refused_items, 0);

	pop_expect(q, 0);
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.bytes, 40);
	assert_int_equal(push_new(q, 60, 5), 0);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
}

static void test_item_larger_than_the_byte_bound_is_always_refused(void **state)
{
	struct canister_queue *q = queue(10, 100);
	struct canister_queue_stats stats;

	assert_int_equal(push_new(q, 101, 0), -ENOSPC);
	assert_int_equal(push_new(q, SIZE_MAX, 1), -ENOSPC);
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.items, 0);
	assert_int_equal(stats.bytes, 0);
	assert_int_equal(stats.refused_bytes, 2);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
}

/* Many blocks of slots: order kept across them, and they are given back as the queue drains. */
static void test_fifo_across_blocks(void **state)
{
	struct canister_queue *q = queue(2000, SIZE_MAX);

	for (int round = 0; round < 3; round++) {
		for (uint64_t i = 0; i < 2000; i++)
			assert_int_equal(push_new(q, 1, i), 0);
		assert_int_equal(push_new(q, 1, 2000), -ENOBUFS);
		for (uint64_t i = 0; i < 1000; i++)
			pop_expect(q, i);
		for (uint64_t i = 2000; i < 3000; i++)
			assert_int_equal(push_new(q, 1, i), 0);
		for (uint64_t i = 1000; i < 3000; i++)
			pop_expect(q, i);
		assert_int_equal(atomic_load(&live_items), 0);
	}
	canister_queue_free(q);
}

/* One copy of an event feeds several queues; it is released when the last holder lets go. */
static void test_item_shared_by_queues(void **state)
{
	struct canister_queue *a = queue(10, 1000), *b = queue(10, 1000), *full = queue(1, 1000);
	struct test_item *t = new_item(100, 0, 42);
	struct canister_queue_item *item;

	assert_int_equal(push_new(full, 1, 0), 0);
	assert_int_equal(canister_queue_push(a, &t->item), 0);
	assert_int_equal(canister_queue_push(b, &t->item), 0);
	assert_int_equal(canister_queue_push(full, &t->item), -ENOBUFS);
	canister_queue_item_put(&t->item); /* the producer's own */
	assert_int_equal(atomic_load(&live_items), 2);

	assert_int_equal(canister_queue_pop(a, &item), 0);
	assert_ptr_equal(item, &t->item);
	canister_queue_item_put(item);
	assert_int_equal(atomic_load(&live_items), 2); /* b still holds it */
	assert_int_equal(canister_queue_pop(b, &item), 0);
	canister_queue_item_put(item);
	assert_int_equal(atomic_load(&live_items), 1); /* only full's own item is left */
	canister_queue_free(a);
	canister_queue_free(b);
	canister_queue_free(full);
	assert_int_equal(atomic_load(&live_items), 0);
}

static void test_close_then_drain(void **state)
{
	struct canister_queue *q = queue(10, 1000);
	struct canister_queue_item *item = NULL;
	struct canister_queue_stats stats;

	assert_int_equal(canister_queue_pop(q, &item), -EAGAIN);
	assert_null(item);
	assert_int_equal(push_new(q, 1, 0), 0);
	assert_int_equal(push_new(q, 1, 1), 0);
	assert_false(canister_queue_closed(q));
	canister_queue_close(q);
	canister_queue_close(q); /* twice is harmless */
	assert_true(canister_queue_closed(q));
	assert_int_equal(push_new(q, 1, 2), -EPIPE);
	/* What was queued before the close still comes out, then the end. */
	assert_int_equal(canister_queue_wait(q, -1), 0);
	pop_expect(q, 0);
	pop_expect(q, 1);
	assert_int_equal(canister_queue_pop(q, &item), -EPIPE);
	assert_int_equal(canister_queue_wait(q, -1), 0);
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.refused_closed, 1);
	assert_int_equal(stats.popped, 2);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
}

static void test_discard(void **state)
{
	struct canister_queue *q = queue(1000, 1 << 20);
	struct canister_queue_stats stats;

	for (uint64_t i = 0; i < 700; i++)
		assert_int_equal(push_new(q, 3, i), 0);
	assert_int_equal(canister_queue_discard(q), 700);
	assert_int_equal(atomic_load(&live_items), 0);
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.items, 0);
	assert_int_equal(stats.bytes, 0);
	assert_int_equal(stats.discarded, 700);
	/* Usable afterwards: discarding is not closing. */
	assert_int_equal(push_new(q, 3, 700), 0);
	pop_expect(q, 700);
	assert_int_equal(canister_queue_discard(q), 0);
	canister_queue_free(q);
}

/* A queue freed with items in it lets go of them. */
static void test_free_releases_what_is_queued(void **state)
{
	struct canister_queue *q = queue(1000, 1 << 20);

	for (uint64_t i = 0; i < 300; i++)
		assert_int_equal(push_new(q, 1, i), 0);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
	canister_queue_free(NULL);
}

static uint64_t elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - since->tv_sec) * 1000 +
	       (uint64_t)((now.tv_nsec - since->tv_nsec) / 1000000);
}

static void test_wait_times_out_on_an_empty_queue(void **state)
{
	struct canister_queue *q = queue(10, 1000);
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(canister_queue_wait(q, 30), -ETIMEDOUT);
	assert_true(elapsed_ms(&start) >= 29);
	assert_int_equal(canister_queue_wait(q, 0), -ETIMEDOUT);
	/* Something queued: no wait at all. */
	assert_int_equal(push_new(q, 1, 0), 0);
	assert_int_equal(canister_queue_wait(q, -1), 0);
	canister_queue_free(q);
}

struct waiter {
	struct canister_queue *queue;
	int result;
	atomic_bool waiting;
};

static void *wait_forever(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->waiting, true);
	w->result = canister_queue_wait(w->queue, -1);
	return NULL;
}

/* A consumer asleep without a timeout is woken by a push, by a close, and by a poke. */
static void test_wait_is_woken(void **state)
{
	for (int by = 0; by < 3; by++) {
		struct waiter w = { .queue = queue(10, 1000), .result = 1 };
		pthread_t thread;

		assert_int_equal(pthread_create(&thread, NULL, wait_forever, &w), 0);
		while (!atomic_load(&w.waiting))
			sched_yield();
		if (by == 0) {
			assert_int_equal(push_new(w.queue, 1, 0), 0);
		} else if (by == 1) {
			canister_queue_close(w.queue);
		} else {
			/* The waiter may not be asleep yet: poke until it is seen. */
			while (pthread_tryjoin_np(thread, NULL) == EBUSY) {
				canister_queue_poke(w.queue);
				sched_yield();
			}
			assert_int_equal(w.result, 0);
			canister_queue_free(w.queue);
			continue;
		}
		assert_int_equal(pthread_join(thread, NULL), 0);
		assert_int_equal(w.result, 0);
		canister_queue_free(w.queue);
	}
	assert_int_equal(atomic_load(&live_items), 0);
}

#define PRODUCERS 4
#define PER_PRODUCER 200000

struct producer {
	struct canister_queue *queue;
	unsigned int id;
	uint64_t accepted, refused;
};

static void *produce(void *arg)
{
	struct producer *p = arg;

	for (uint64_t i = 0; i < PER_PRODUCER; i++) {
		/* Sizes vary, so that both bounds refuse some. */
		struct test_item *t = new_item(1 + i % 64, p->id, i);
		int r = canister_queue_push(p->queue, &t->item);

		canister_queue_item_put(&t->item);
		if (r == 0)
			p->accepted++;
		else if (r == -ENOBUFS || r == -ENOSPC)
			p->refused++;
		else
			fail_msg("push: %d", r);
		if (i % 1024 == 0)
			sched_yield();
	}
	return NULL;
}

/*
 * Producers push from several threads while one consumer waits and pops:
 * every accepted item comes out once, in each producer's order; every
 * refused one is counted; the bytes come back to zero; nothing leaks.
 */
static void test_threads_producers_and_a_consumer(void **state)
{
	struct canister_queue *q = queue(512, 8 * 1024);
	struct producer producers[PRODUCERS];
	pthread_t threads[PRODUCERS];
	uint64_t next[PRODUCERS] = { 0 }, popped[PRODUCERS] = { 0 };
	uint64_t accepted = 0, refused = 0, got = 0;
	struct canister_queue_stats stats;
	unsigned int running = PRODUCERS;

	for (unsigned int i = 0; i < PRODUCERS; i++) {
		producers[i] = (struct producer){ .queue = q, .id = i };
		assert_int_equal(pthread_create(&threads[i], NULL, produce, &producers[i]), 0);
	}
	for (;;) {
		struct canister_queue_item *item;
		int r = canister_queue_pop(q, &item);

		if (r == 0) {
			struct test_item *t = (struct test_item *)item;

			assert_true(t->producer < PRODUCERS);
			/* Refused items leave gaps; accepted ones never come out of order. */
			assert_true(t->sequence >= next[t->producer]);
			next[t->producer] = t->sequence + 1;
			popped[t->producer]++;
			got++;
			canister_queue_item_put(item);
			continue;
		}
		if (r == -EPIPE)
			break;
		assert_int_equal(r, -EAGAIN);
		if (running) {
			/* The producers are joined as they finish; then the queue closes. */
			if (pthread_tryjoin_np(threads[PRODUCERS - running], NULL) == 0 &&
			    --running == 0)
				canister_queue_close(q);
		}
		canister_queue_wait(q, 5);
	}
	for (unsigned int i = 0; i < PRODUCERS; i++) {
		assert_int_equal(popped[i], producers[i].accepted);
		accepted += producers[i].accepted;
		refused += producers[i].refused;
	}
	assert_int_equal(accepted + refused, (uint64_t)PRODUCERS * PER_PRODUCER);
	assert_int_equal(got, accepted);
	canister_queue_stats(q, &stats);
	assert_int_equal(stats.pushed, accepted);
	assert_int_equal(stats.popped, accepted);
	assert_int_equal(stats.refused_items + stats.refused_bytes, refused);
	assert_int_equal(stats.items, 0);
	assert_int_equal(stats.bytes, 0);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
}

/* A producer never waits for the consumer: pushes to a queue nobody reads all return at once. */
static void test_push_to_a_queue_nobody_reads(void **state)
{
	struct canister_queue *q = queue(100, 1 << 20);
	uint64_t accepted = 0;

	for (uint64_t i = 0; i < 100000; i++)
		if (push_new(q, 1, i) == 0)
			accepted++;
	assert_int_equal(accepted, 100);
	canister_queue_free(q);
	assert_int_equal(atomic_load(&live_items), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds_must_be_positive),
		cmocka_unit_test(test_bounded_by_events),
		cmocka_unit_test(test_bounded_by_bytes),
		cmocka_unit_test(test_item_larger_than_the_byte_bound_is_always_refused),
		cmocka_unit_test(test_fifo_across_blocks),
		cmocka_unit_test(test_item_shared_by_queues),
		cmocka_unit_test(test_close_then_drain),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_free_releases_what_is_queued),
		cmocka_unit_test(test_wait_times_out_on_an_empty_queue),
		cmocka_unit_test(test_wait_is_woken),
		cmocka_unit_test(test_threads_producers_and_a_consumer),
		cmocka_unit_test(test_push_to_a_queue_nobody_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
