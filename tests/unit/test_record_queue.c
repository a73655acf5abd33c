// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the record queue that access and model records pass (repeats, rate, loss).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/record_queue.h"

#include <stdlib.h>

#define SECOND 1000000000ULL

struct test_item {
	struct loop_queue_item link;
	int *discarded;
};

static void deliver(struct loop_queue_item *link)
{
	free(link);
}

static void discard(struct loop_queue_item *link)
{
	struct test_item *it = (struct test_item *)link;

	(*it->discarded)++;
	free(it);
}

static int setup(void **state)
{
	struct record_queue *rq = malloc(sizeof(*rq));

	if (!rq)
		return -1;
	*rq = (struct record_queue)RECORD_QUEUE_INIT(*rq, deliver, discard);
	*state = rq;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void assert_counts(struct record_queue *rq, uint64_t written, uint64_t repeated,
			  uint64_t suppressed, uint64_t lost)
{
	struct record_queue_counts c;

	record_queue_counts(rq, &c);
	assert_int_equal(c.written, written);
	assert_int_equal(c.repeated, repeated);
	assert_int_equal(c.suppressed, suppressed);
	assert_int_equal(c.lost, lost);
}

/* A denial again within a second is counted, and the next one written carries the count. */
static void test_windowed_repeats(void **state)
{
	struct record_queue *rq = *state;
	uint64_t r = 9;

	assert_true(record_queue_admit_at(rq, 5, 1, true, SECOND, &r));
	assert_int_equal(r, 0);
	assert_false(record_queue_admit_at(rq, 5, 1, true, SECOND + 1, &r));
	assert_false(
		record_queue_admit_at(rq, 5, 1, true, SECOND + RECORD_QUEUE_WINDOW_NS - 1, &r));
	/* Another decision (the callers' keys hash the container in) is not a repeat. */
	assert_true(record_queue_admit_at(rq, 6, 1, true, SECOND + 2, &r));
	assert_true(record_queue_admit_at(rq, 8, 2, true, SECOND + 3, &r));
	assert_true(record_queue_admit_at(rq, 5, 1, true, 2 * SECOND + RECORD_QUEUE_WINDOW_NS, &r));
	assert_int_equal(r, 2);
	assert_counts(rq, 4, 2, 0, 0);
}

/* A complaint is written once while remembered, and again once its container is forgotten. */
static void test_unwindowed_and_forget(void **state)
{
	struct record_queue *rq = *state;
	uint64_t r;

	assert_true(record_queue_admit_at(rq, 7, 1, false, SECOND, &r));
	assert_false(record_queue_admit_at(rq, 7, 1, false, 100 * SECOND, &r));
	record_queue_forget(rq, 2);
	assert_false(record_queue_admit_at(rq, 7, 1, false, 101 * SECOND, &r));
	record_queue_forget(rq, 1);
	assert_true(record_queue_admit_at(rq, 7, 1, false, 102 * SECOND, &r));
	assert_counts(rq, 2, 2, 0, 0);
}

/* One container's flood stops at its burst; another container still writes; tokens come back. */
static void test_rate_limit(void **state)
{
	struct record_queue *rq = *state;
	uint64_t key, r, now = 10 * SECOND;

	for (key = 1; key <= 2 * RECORD_QUEUE_PER_SECOND; key++)
		assert_true(record_queue_admit_at(rq, key, 1, true, now, &r));
	assert_false(record_queue_admit_at(rq, key++, 1, true, now, &r));
	assert_false(record_queue_admit_at(rq, key++, 1, true, now, &r));
	assert_true(record_queue_admit_at(rq, key++, 2, true, now, &r));
	assert_counts(rq, 2 * RECORD_QUEUE_PER_SECOND + 1, 0, 2, 0);
	/* A second later, a second's worth more. */
	now += SECOND;
	for (int i = 0; i < RECORD_QUEUE_PER_SECOND; i++)
		assert_true(record_queue_admit_at(rq, key++, 1, true, now, &r));
	assert_false(record_queue_admit_at(rq, key++, 1, true, now, &r));
	assert_counts(rq, 3 * RECORD_QUEUE_PER_SECOND + 1, 0, 3, 0);
}

/* A queue that is not open (or closed) takes nothing: the item is discarded and counted lost. */
static void test_push_closed_is_lost(void **state)
{
	struct record_queue *rq = *state;
	struct test_item *it = calloc(1, sizeof(*it));
	int discarded = 0;
	uint64_t r;

	assert_non_null(it);
	it->discarded = &discarded;
	assert_true(record_queue_admit_at(rq, 1, 1, true, SECOND, &r));
	assert_false(record_queue_push(rq, &it->link));
	assert_int_equal(discarded, 1);
	record_queue_count_lost(rq);
	assert_counts(rq, 1, 0, 0, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_windowed_repeats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwindowed_and_forget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_closed_is_lost, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
