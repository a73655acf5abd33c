// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the file gate's queue, round-robin by container (integrity/gate_share.c). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/gate_share.h"

#define A 1790
#define B 1791
#define C 1792

static struct gate_share *fresh(unsigned int judges_max)
{
	static struct gate_share share;

	gate_share_init(&share, judges_max);
	return &share;
}

/* One owner alone is served in arrival order. */
static void test_fifo_per_owner(void **state)
{
	struct gate_share *s = fresh(3);

	assert_int_equal(gate_share_pop(s), -1);
	assert_false(gate_share_waiting(s));
	assert_int_equal(gate_share_push(s, 5, A), 0);
	assert_int_equal(gate_share_push(s, 2, A), 0);
	assert_int_equal(gate_share_push(s, 9, A), 0);
	assert_true(gate_share_waiting(s));
	assert_int_equal(gate_share_pop(s), 5);
	assert_int_equal(gate_share_pop(s), 2);
	assert_int_equal(gate_share_pop(s), 9);
	assert_int_equal(gate_share_pop(s), -1);
}

/*
 * The attack: A fills the queue first and its judges never return; B's
 * event, pushed last, is the next one a free judge takes.
 */
static void test_owner_share_leaves_a_judge(void **state)
{
	struct gate_share *s = fresh(3);

	for (int slot = 0; slot < 8; slot++)
		assert_int_equal(gate_share_push(s, slot, A), 0);
	assert_int_equal(gate_share_pop(s), 0);
	assert_int_equal(gate_share_pop(s), 1);
	assert_int_equal(gate_share_pop(s), 2);
	/* A holds its share: its five other events wait, and no judge takes them. */
	assert_int_equal(gate_share_pop(s), -1);
	assert_false(gate_share_waiting(s));
	assert_int_equal(gate_share_push(s, 100, B), 0);
	assert_true(gate_share_waiting(s));
	assert_int_equal(gate_share_pop(s), 100);
	/* One of A's judges returns: A's next event, in its order. */
	assert_int_equal(gate_share_done(s, 1), 0);
	assert_int_equal(gate_share_pop(s), 3);
	assert_int_equal(gate_share_pop(s), -1);
}

/* Owners with events waiting take turns, whatever order their events came in. */
static void test_round_robin(void **state)
{
	struct gate_share *s = fresh(16);
	int order[9];

	for (int slot = 0; slot < 5; slot++)
		assert_int_equal(gate_share_push(s, slot, A), 0);
	assert_int_equal(gate_share_push(s, 10, B), 0);
	assert_int_equal(gate_share_push(s, 11, B), 0);
	assert_int_equal(gate_share_push(s, 20, C), 0);
	for (int i = 0; i < 8; i++)
		order[i] = gate_share_pop(s);
	order[8] = gate_share_pop(s);
	/* Each of the three before any one's second, then the two left, then A's rest. */
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 10);
	assert_int_equal(order[2], 20);
	assert_int_equal(order[3], 1);
	assert_int_equal(order[4], 11);
	assert_int_equal(order[5], 2);
	assert_int_equal(order[6], 3);
	assert_int_equal(order[7], 4);
	assert_int_equal(order[8], -1);
}

/* An event taken out (its opener's ids read outside the lock) goes back behind the others. */
static void test_remove_and_push(void **state)
{
	struct gate_share *s = fresh(1);

	assert_int_equal(gate_share_push(s, 1, A), 0);
	assert_int_equal(gate_share_push(s, 2, A), 0);
	assert_int_equal(gate_share_push(s, 3, A), 0);
	assert_int_equal(gate_share_remove(s, 1), 0);
	assert_int_equal(gate_share_remove(s, 1), -EINVAL);
	assert_int_equal(gate_share_remove(s, 3), 0);
	assert_int_equal(gate_share_push(s, 1, A), 0);
	assert_int_equal(gate_share_push(s, 3, A), 0);
	assert_int_equal(gate_share_pop(s), 2);
	assert_int_equal(gate_share_pop(s), -1);
	/* A popped slot is not queued: it cannot be removed, only done. */
	assert_int_equal(gate_share_remove(s, 2), -EINVAL);
	assert_int_equal(gate_share_done(s, 2), 0);
	assert_int_equal(gate_share_done(s, 2), -EINVAL);
	assert_int_equal(gate_share_pop(s), 1);
	assert_int_equal(gate_share_done(s, 1), 0);
	assert_int_equal(gate_share_pop(s), 3);
	assert_int_equal(gate_share_done(s, 3), 0);
	/* Everything returned: the owner's entry is free for another. */
	assert_false(gate_share_waiting(s));
	assert_int_equal(gate_share_push(s, 3, B), 0);
	assert_int_equal(gate_share_pop(s), 3);
	/* The only event of a queue removed: the queue is empty. */
	assert_int_equal(gate_share_push(s, 4, C), 0);
	assert_int_equal(gate_share_remove(s, 4), 0);
	assert_int_equal(gate_share_pop(s), -1);
	assert_int_equal(gate_share_push(s, 4, C), 0);
	assert_int_equal(gate_share_pop(s), 4);
}

/* Bad slots change nothing. */
static void test_bad_slots(void **state)
{
	struct gate_share *s = fresh(2);

	assert_int_equal(gate_share_push(s, -1, A), -EINVAL);
	assert_int_equal(gate_share_push(s, GATE_SHARE_SLOTS, A), -EINVAL);
	assert_int_equal(gate_share_push(s, 7, A), 0);
	assert_int_equal(gate_share_push(s, 7, B), -EBUSY);
	assert_int_equal(gate_share_done(s, 7), -EINVAL);
	assert_int_equal(gate_share_done(s, GATE_SHARE_SLOTS), -EINVAL);
	assert_int_equal(gate_share_remove(s, -1), -EINVAL);
	assert_int_equal(gate_share_pop(s), 7);
	assert_int_equal(gate_share_pop(s), -1);
}

/* Every slot held by distinct owners: each its own entry, all served. */
static void test_every_slot(void **state)
{
	struct gate_share *s = fresh(1);
	char *seen = calloc(GATE_SHARE_SLOTS, 1);

	assert_non_null(seen);
	for (int slot = 0; slot < GATE_SHARE_SLOTS; slot++)
		assert_int_equal(gate_share_push(s, slot, 5000 + (uint64_t)slot), 0);
	for (int i = 0; i < GATE_SHARE_SLOTS; i++) {
		int slot = gate_share_pop(s);

		assert_in_range(slot, 0, GATE_SHARE_SLOTS - 1);
		assert_false(seen[slot]);
		seen[slot] = 1;
	}
	assert_int_equal(gate_share_pop(s), -1);
	free(seen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_per_owner),
		cmocka_unit_test(test_owner_share_leaves_a_judge),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_remove_and_push),
		cmocka_unit_test(test_bad_slots),
		cmocka_unit_test(test_every_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
