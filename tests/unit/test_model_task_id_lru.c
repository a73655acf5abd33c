// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: one container's TASK_ID table (task_id_lru.c): found
 * by thread group, start and executable; when full, the least recently used
 * task whose process ended is forgotten, a living one spared within bounds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/task_id_lru.h"

#include <string.h>

static struct model_task_key task(pid_t tgid)
{
	return (struct model_task_key){ .tgid = tgid, .start_time = 7, .exe_dev = 1, .exe_ino = 2 };
}

static void id_of(pid_t tgid, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	memset(ret, 0, CANISTER_MODEL_DIGEST_SIZE);
	memcpy(ret, &tgid, sizeof(tgid));
}

/* Every task in [@from, @to) found with its own TASK_ID, or (@held false) none. */
static void expect_held(struct model_task_id_lru *t, pid_t from, pid_t to, bool held)
{
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE], want[CANISTER_MODEL_DIGEST_SIZE];

	for (pid_t pid = from; pid < to; pid++) {
		struct model_task_key key = task(pid);

		assert_int_equal(model_task_id_lru_get(t, &key, got), held);
		if (held) {
			id_of(pid, want);
			assert_memory_equal(got, want, sizeof(want));
		}
	}
}

static void put(struct model_task_id_lru *t, pid_t pid, int expected,
		bool (*lives)(const struct model_task_key *key, void *ctx), void *ctx)
{
	uint8_t id[CANISTER_MODEL_DIGEST_SIZE];
	struct model_task_key key = task(pid);

	id_of(pid, id);
	assert_int_equal(model_task_id_lru_put(t, &key, id, false, lives, ctx), expected);
}

static void test_key(void **state)
{
	struct model_task_id_lru t;
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE];
	struct model_task_key probe;

	(void)state;
	model_task_id_lru_init(&t, 8);
	probe = task(1);
	assert_false(model_task_id_lru_get(&t, &probe, got));
	put(&t, 1, 0, NULL, NULL);
	expect_held(&t, 1, 2, true);
	/* Another start (a reused pid), executable or device is another task. */
	probe = task(1), probe.start_time = 8;
	assert_false(model_task_id_lru_get(&t, &probe, got));
	probe = task(1), probe.exe_ino = 3;
	assert_false(model_task_id_lru_get(&t, &probe, got));
	probe = task(1), probe.exe_dev = 3;
	assert_false(model_task_id_lru_get(&t, &probe, got));
	/* A put again replaces the TASK_ID, and takes no room. */
	put(&t, 1, 0, NULL, NULL);
	assert_int_equal(t.count, 1);
	model_task_id_lru_free(&t);
	expect_held(&t, 1, 2, false);
}

/* Growing past the first allocation keeps every entry; full, the oldest goes, counted. */
static void test_grow_and_forget_oldest(void **state)
{
	struct model_task_id_lru t;

	(void)state;
	model_task_id_lru_init(&t, 1000);
	for (pid_t pid = 1; pid <= 1000; pid++)
		put(&t, pid, 0, NULL, NULL);
	expect_held(&t, 1, 1001, true);
	assert_int_equal(t.count, 1000);
	assert_int_equal(t.forgotten, 0);
	/* Used last: 1..1000 in order (the walk above); 1001..1010 take 1..10's places. */
	for (pid_t pid = 1001; pid <= 1010; pid++)
		put(&t, pid, 1, NULL, NULL);
	expect_held(&t, 1, 11, false);
	expect_held(&t, 11, 1011, true);
	assert_int_equal(t.count, 1000);
	assert_int_equal(t.forgotten, 10);
	model_task_id_lru_free(&t);
	/* The count survives the memory: it is the container's. */
	assert_int_equal(t.forgotten, 10);
}

/* A lookup makes a task the newest: an active process is never the one forgotten. */
static void test_use_keeps(void **state)
{
	struct model_task_id_lru t;
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE];
	struct model_task_key busy = task(1);

	(void)state;
	model_task_id_lru_init(&t, 4);
	for (pid_t pid = 1; pid <= 4; pid++)
		put(&t, pid, 0, NULL, NULL);
	for (pid_t pid = 100; pid < 200; pid++) {
		assert_true(model_task_id_lru_get(&t, &busy, got));
		put(&t, pid, 1, NULL, NULL);
	}
	expect_held(&t, 1, 2, true);
	expect_held(&t, 2, 5, false);
	model_task_id_lru_free(&t);
}

/* Processes whose tgid is below @ctx's value live. */
static bool lives_below(const struct model_task_key *key, void *ctx)
{
	return key->tgid < *(pid_t *)ctx;
}

/* An idle living task is spared; the ended ones after it go first. */
static void test_living_spared(void **state)
{
	struct model_task_id_lru t;
	pid_t living = 2; /* task 1 lives */

	(void)state;
	model_task_id_lru_init(&t, 4);
	for (pid_t pid = 1; pid <= 4; pid++)
		put(&t, pid, 0, NULL, NULL);
	for (pid_t pid = 100; pid < 200; pid++)
		put(&t, pid, 1, lives_below, &living);
	expect_held(&t, 1, 2, true);
	expect_held(&t, 197, 200, true);
	model_task_id_lru_free(&t);
}

/* All living: room is still made, the oldest past the spared ones going. */
static void test_all_living(void **state)
{
	struct model_task_id_lru t;
	pid_t living = 1000000;

	(void)state;
	model_task_id_lru_init(&t, 2 * MODEL_TASK_ID_LRU_SPARED);
	for (pid_t pid = 1; pid <= 2 * MODEL_TASK_ID_LRU_SPARED; pid++)
		put(&t, pid, 0, NULL, NULL);
	put(&t, 500, 1, lives_below, &living);
	expect_held(&t, 500, 501, true);
	assert_int_equal(t.count, 2 * MODEL_TASK_ID_LRU_SPARED);
	/* The ones passed over were spared; the next one was forgotten. */
	expect_held(&t, 1, MODEL_TASK_ID_LRU_SPARED + 1, true);
	expect_held(&t, MODEL_TASK_ID_LRU_SPARED + 1, MODEL_TASK_ID_LRU_SPARED + 2, false);
	model_task_id_lru_free(&t);
}

/* A table of one entry: each new task takes the place of the last. */
static void test_one(void **state)
{
	struct model_task_id_lru t;
	pid_t living = 1000000;

	(void)state;
	model_task_id_lru_init(&t, 1);
	put(&t, 1, 0, NULL, NULL);
	put(&t, 2, 1, lives_below, &living);
	expect_held(&t, 1, 2, false);
	expect_held(&t, 2, 3, true);
	model_task_id_lru_free(&t);
}

/*
 * A TASK_ID derived at a later event is not one seen at the exec: an exec
 * the gate never saw is still told as such when the process's first event
 * was judged before its exec event was read.  Seen once, it stays seen.
 */
static void test_derived(void **state)
{
	uint8_t id[CANISTER_MODEL_DIGEST_SIZE], got[CANISTER_MODEL_DIGEST_SIZE];
	struct model_task_key key = task(5);
	struct model_task_id_lru t;

	(void)state;
	model_task_id_lru_init(&t, 4);
	id_of(5, id);
	assert_false(model_task_id_lru_seen_at_exec(&t, &key));
	assert_int_equal(model_task_id_lru_put(&t, &key, id, true, NULL, NULL), 0);
	assert_true(model_task_id_lru_get(&t, &key, got));
	assert_false(model_task_id_lru_seen_at_exec(&t, &key));
	assert_int_equal(model_task_id_lru_put(&t, &key, id, false, NULL, NULL), 0);
	assert_true(model_task_id_lru_seen_at_exec(&t, &key));
	assert_int_equal(model_task_id_lru_put(&t, &key, id, true, NULL, NULL), 0);
	assert_true(model_task_id_lru_seen_at_exec(&t, &key));
	assert_int_equal(t.count, 1);
	model_task_id_lru_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),	   cmocka_unit_test(test_grow_and_forget_oldest),
		cmocka_unit_test(test_use_keeps),  cmocka_unit_test(test_living_spared),
		cmocka_unit_test(test_all_living), cmocka_unit_test(test_one),
		cmocka_unit_test(test_derived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
