// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the container an exited pid was in when a late audit record was written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/pid_history.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NO_LIFE UINT64_MAX

static struct canister_pid_history *history(size_t capacity, uint64_t retention_ns)
{
	struct canister_pid_history *h = NULL;

	assert_int_equal(canister_pid_history_new(capacity, retention_ns, &h), 0);
	assert_non_null(h);
	return h;
}

/* The contid @pid had at @event_ns, or NO_LIFE for -ENOENT. */
static uint64_t at(const struct canister_pid_history *h, pid_t pid, uint64_t event_ns)
{
	uint64_t contid = 0xdead;
	int r = canister_pid_history_lookup(h, pid, event_ns, &contid);

	if (r == -ENOENT) {
		/* Nothing is written on failure. */
		assert_int_equal(contid, 0xdead);
		return NO_LIFE;
	}
	assert_int_equal(r, 0);
	return contid;
}

static void test_new_refuses_bad_arguments(void **state)
{
	struct canister_pid_history *h = (void *)0x1;

	assert_int_equal(canister_pid_history_new(0, 1, &h), -EINVAL);
	assert_int_equal(canister_pid_history_new(CANISTER_PID_HISTORY_MAX_CAPACITY + 1, 1, &h),
			 -EINVAL);
	assert_ptr_equal(h, (void *)0x1);
	assert_int_equal(canister_pid_history_new(16, 1, NULL), -EINVAL);
	canister_pid_history_free(NULL);

	h = history(1, 0);
	assert_int_equal(canister_pid_history_size(h), 0);
	assert_int_equal(canister_pid_history_evicted(h), 0);
	assert_int_equal(canister_pid_history_lookup(h, 100, 1, NULL), -EINVAL);
	assert_int_equal(canister_pid_history_lookup(NULL, 100, 1, &(uint64_t){ 0 }), -EINVAL);
	/* Pid 0 (the idle task) and negative pids never name a process. */
	canister_pid_history_exited(h, 0, 4, 10);
	canister_pid_history_exited(h, -5, 4, 10);
	assert_int_equal(canister_pid_history_size(h), 0);
	assert_int_equal(at(h, 0, 10), NO_LIFE);
	canister_pid_history_free(h);
}

static void test_one_life_and_its_boundaries(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	canister_pid_history_exited(h, 100, 4, 20);
	assert_int_equal(canister_pid_history_size(h), 1);
	/* Its fork was not seen: the start is unknown, so anything before the exit is its. */
	assert_int_equal(at(h, 100, 0), 4);
	assert_int_equal(at(h, 100, 19), 4);
	/* Exited at or after the event. */
	assert_int_equal(at(h, 100, 20), 4);
	assert_int_equal(at(h, 100, 21), NO_LIFE);
	assert_int_equal(at(h, 101, 10), NO_LIFE);
	canister_pid_history_free(h);
}

static void test_reused_pid_answers_by_time(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	canister_pid_history_exited(h, 100, 4, 20);
	canister_pid_history_started(h, 100, 30);
	canister_pid_history_exited(h, 100, 5, 40);
	assert_int_equal(canister_pid_history_size(h), 2);

	assert_int_equal(at(h, 100, 15), 4);
	assert_int_equal(at(h, 100, 20), 4);
	/* Between the two lives nobody had the pid. */
	assert_int_equal(at(h, 100, 25), NO_LIFE);
	assert_int_equal(at(h, 100, 29), NO_LIFE);
	assert_int_equal(at(h, 100, 30), 5);
	assert_int_equal(at(h, 100, 40), 5);
	assert_int_equal(at(h, 100, 41), NO_LIFE);

	/* A third process has it now: its events are the live table's to answer. */
	canister_pid_history_started(h, 100, 50);
	assert_int_equal(at(h, 100, 40), 5);
	assert_int_equal(at(h, 100, 50), NO_LIFE);
	assert_int_equal(at(h, 100, 51), NO_LIFE);
	canister_pid_history_free(h);
}

static void test_exit_and_next_start_at_one_instant(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	canister_pid_history_exited(h, 100, 4, 30);
	canister_pid_history_started(h, 100, 30);
	canister_pid_history_exited(h, 100, 5, 40);
	/* Both cover 30; the older was the one running until then. */
	assert_int_equal(at(h, 100, 30), 4);
	assert_int_equal(at(h, 100, 31), 5);
	canister_pid_history_free(h);
}

/*
 * Exit and fork times come from different events, and an audit stamp is
 * coarse: a new life may seem to begin before the old one's exit.  After
 * the new start, the new life is the answer.
 */
static void test_start_before_reported_exit(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	canister_pid_history_exited(h, 100, 4, 20);
	canister_pid_history_started(h, 100, 18);
	assert_int_equal(at(h, 100, 10), 4);
	assert_int_equal(at(h, 100, 18), 4);
	assert_int_equal(at(h, 100, 19), NO_LIFE);
	assert_int_equal(at(h, 100, 20), NO_LIFE);

	canister_pid_history_exited(h, 100, 5, 60);
	assert_int_equal(at(h, 100, 18), 4);
	assert_int_equal(at(h, 100, 19), 5);
	assert_int_equal(at(h, 100, 20), 5);
	canister_pid_history_free(h);
}

static void test_start_of_pid_without_history_is_not_kept(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	/* The table stays bounded by exits: a fork alone is not remembered. */
	canister_pid_history_started(h, 200, 10);
	canister_pid_history_exited(h, 200, 7, 20);
	assert_int_equal(at(h, 200, 5), 7);
	canister_pid_history_free(h);
}

static void test_start_after_exit_waits_for_its_own_life(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	canister_pid_history_exited(h, 100, 4, 20);
	canister_pid_history_started(h, 100, 60);
	/* An exit before that start is another life's, whose fork was missed. */
	canister_pid_history_exited(h, 100, 5, 40);
	assert_int_equal(at(h, 100, 30), 5);
	assert_int_equal(at(h, 100, 61), NO_LIFE);
	/* The start stayed for the life that began at 60. */
	canister_pid_history_exited(h, 100, 6, 70);
	assert_int_equal(at(h, 100, 50), NO_LIFE);
	assert_int_equal(at(h, 100, 60), 6);
	assert_int_equal(at(h, 100, 70), 6);
	canister_pid_history_free(h);
}

static void test_exits_recorded_out_of_order(void **state)
{
	struct canister_pid_history *h = history(16, 1000);

	/* Two CPUs' ring buffers: the later exit is read first.  Neither start is known. */
	canister_pid_history_exited(h, 100, 5, 40);
	canister_pid_history_exited(h, 100, 4, 20);
	assert_int_equal(at(h, 100, 15), 4);
	assert_int_equal(at(h, 100, 20), 4);
	assert_int_equal(at(h, 100, 30), 5);
	assert_int_equal(at(h, 100, 41), NO_LIFE);
	canister_pid_history_free(h);
}

static void test_expire_at_the_boundary(void **state)
{
	struct canister_pid_history *h = history(16, 100);

	canister_pid_history_exited(h, 1, 11, 10);
	canister_pid_history_exited(h, 2, 12, 50);
	canister_pid_history_exited(h, 3, 13, 90);

	/* Before the clock has run a retention, nothing is old enough. */
	canister_pid_history_expire(h, 50);
	assert_int_equal(canister_pid_history_size(h), 3);
	/* An exit exactly retention ago stays. */
	canister_pid_history_expire(h, 110);
	assert_int_equal(canister_pid_history_size(h), 3);
	assert_int_equal(at(h, 1, 10), 11);
	canister_pid_history_expire(h, 111);
	assert_int_equal(canister_pid_history_size(h), 2);
	assert_int_equal(at(h, 1, 10), NO_LIFE);
	assert_int_equal(at(h, 2, 50), 12);

	canister_pid_history_expire(h, 1000);
	assert_int_equal(canister_pid_history_size(h), 0);
	assert_int_equal(at(h, 3, 90), NO_LIFE);
	/* Expiry is not eviction. */
	assert_int_equal(canister_pid_history_evicted(h), 0);

	/* The table works on after being emptied. */
	canister_pid_history_exited(h, 3, 14, 1000);
	assert_int_equal(at(h, 3, 1000), 14);
	canister_pid_history_free(h);
}

static void test_full_table_evicts_the_first_recorded(void **state)
{
	struct canister_pid_history *h = history(3, 1000);

	canister_pid_history_exited(h, 1, 11, 10);
	canister_pid_history_exited(h, 2, 12, 20);
	canister_pid_history_exited(h, 3, 13, 30);
	assert_int_equal(canister_pid_history_evicted(h), 0);
	canister_pid_history_exited(h, 4, 14, 40);
	assert_int_equal(canister_pid_history_size(h), 3);
	assert_int_equal(canister_pid_history_evicted(h), 1);
	assert_int_equal(at(h, 1, 10), NO_LIFE);
	assert_int_equal(at(h, 2, 20), 12);
	assert_int_equal(at(h, 4, 40), 14);
	canister_pid_history_exited(h, 5, 15, 50);
	canister_pid_history_exited(h, 6, 16, 60);
	assert_int_equal(canister_pid_history_evicted(h), 3);
	assert_int_equal(at(h, 2, 20), NO_LIFE);
	assert_int_equal(at(h, 4, 40), 14);
	assert_int_equal(at(h, 6, 60), 16);
	canister_pid_history_free(h);
}

static void test_eviction_keeps_the_start_of_the_life_exiting(void **state)
{
	struct canister_pid_history *h = history(1, 1000);

	canister_pid_history_exited(h, 100, 4, 10);
	canister_pid_history_started(h, 100, 15);
	/* Room is made by dropping pid 100's only life; its new life's start must survive. */
	canister_pid_history_exited(h, 100, 5, 20);
	assert_int_equal(canister_pid_history_evicted(h), 1);
	assert_int_equal(at(h, 100, 10), NO_LIFE);
	/* A known start keeps the newer life from answering for the evicted one. */
	assert_int_equal(at(h, 100, 12), NO_LIFE);
	assert_int_equal(at(h, 100, 15), 5);
	assert_int_equal(at(h, 100, 20), 5);
	canister_pid_history_free(h);
}

/* A naive model of the same rules, to check the hash, the chains and the ring against. */
struct model_life {
	pid_t pid;
	uint64_t contid, start_ns, exit_ns;
};

struct model {
	struct model_life *lives; /* in the order recorded */
	size_t count, capacity;
	uint64_t pending[64]; /* by pid, 0 none */
	uint64_t evicted;
};

static bool model_has(const struct model *m, pid_t pid)
{
	for (size_t i = 0; i < m->count; i++)
		if (m->lives[i].pid == pid)
			return true;
	return false;
}

static void model_drop_first(struct model *m)
{
	pid_t pid = m->lives[0].pid;

	memmove(m->lives, m->lives + 1, (m->count - 1) * sizeof(*m->lives));
	m->count--;
	if (!model_has(m, pid))
		m->pending[pid] = 0;
}

static void model_exited(struct model *m, pid_t pid, uint64_t contid, uint64_t exit_ns)
{
	uint64_t pending = m->pending[pid], start_ns = 0;

	if (pending && pending <= exit_ns)
		start_ns = pending;
	if (m->count == m->capacity) {
		model_drop_first(m);
		m->evicted++;
	}
	m->pending[pid] = start_ns ? 0 : pending;
	m->lives[m->count++] = (struct model_life){
		.pid = pid, .contid = contid, .start_ns = start_ns, .exit_ns = exit_ns
	};
}

static uint64_t model_at(const struct model *m, pid_t pid, uint64_t t)
{
	const struct model_life *mine[256];
	size_t n = 0;
	uint64_t answer = NO_LIFE;

	for (size_t i = 0; i < m->count; i++) {
		size_t j;

		if (m->lives[i].pid != pid)
			continue;
		/* Insertion sort by exit; equal exits keep the order recorded. */
		for (j = n; j > 0 && mine[j - 1]->exit_ns > m->lives[i].exit_ns; j--)
			mine[j] = mine[j - 1];
		mine[j] = &m->lives[i];
		n++;
	}
	/* The oldest life that covers t and that no newer known start before t displaces. */
	for (size_t i = 0; i < n && answer == NO_LIFE; i++) {
		bool displaced = m->pending[pid] && m->pending[pid] < t;

		for (size_t j = i + 1; j < n; j++)
			if (mine[j]->start_ns && mine[j]->start_ns < t)
				displaced = true;
		if (!displaced && mine[i]->start_ns <= t && t <= mine[i]->exit_ns)
			answer = mine[i]->contid;
	}
	return answer;
}

static void test_matches_a_naive_model(void **state)
{
	enum { CAPACITY = 48, PIDS = 40, STEPS = 20000 };
	struct canister_pid_history *h = history(CAPACITY, 500);
	struct model m = { .capacity = CAPACITY };
	uint64_t now = 1000;

	m.lives = calloc(CAPACITY, sizeof(*m.lives));
	assert_non_null(m.lives);
	srand(7);
	for (int step = 0; step < STEPS; step++) {
		pid_t pid = 1 + rand() % PIDS;
		int op = rand() % 10;

		/* Mostly forward, sometimes a little back, as clocks read from two CPUs. */
		now += (uint64_t)(rand() % 20);
		if (op < 4) {
			uint64_t exit_ns = now - (uint64_t)(rand() % 5);
			uint64_t contid = (uint64_t)(rand() % 5);

			canister_pid_history_exited(h, pid, contid, exit_ns);
			model_exited(&m, pid, contid, exit_ns);
		} else if (op < 6) {
			canister_pid_history_started(h, pid, now);
			if (model_has(&m, pid))
				m.pending[pid] = now;
		} else if (op < 7) {
			canister_pid_history_expire(h, now);
			while (m.count && now >= 500 && m.lives[0].exit_ns < now - 500)
				model_drop_first(&m);
		} else {
			uint64_t t = now - (uint64_t)(rand() % 300);

			assert_int_equal(at(h, pid, t), model_at(&m, pid, t));
		}
		assert_int_equal(canister_pid_history_size(h), m.count);
	}
	assert_int_equal(canister_pid_history_evicted(h), m.evicted);
	assert_true(m.evicted > 0);
	for (pid_t pid = 1; pid <= PIDS; pid++)
		for (uint64_t t = now - 600; t <= now; t += 7)
			assert_int_equal(at(h, pid, t), model_at(&m, pid, t));
	free(m.lives);
	canister_pid_history_free(h);
}

static void test_full_size_table(void **state)
{
	enum { CAPACITY = 65536, EXITS = 200000 };
	struct canister_pid_history *h = history(CAPACITY, UINT64_MAX);

	/* pid_max's worth of pids, each reused twice over. */
	for (uint64_t i = 0; i < EXITS; i++)
		canister_pid_history_exited(h, (pid_t)(1 + i % 100000), i, 1000 + i);
	assert_int_equal(canister_pid_history_size(h), CAPACITY);
	assert_int_equal(canister_pid_history_evicted(h), EXITS - CAPACITY);
	for (uint64_t i = 0; i < EXITS; i++) {
		pid_t pid = (pid_t)(1 + i % 100000);

		if (i >= EXITS - CAPACITY)
			assert_int_equal(at(h, pid, 1000 + i), i);
		/* Both lives of these pids were evicted. */
		else if (i % 100000 < (EXITS - CAPACITY) % 100000)
			assert_int_equal(at(h, pid, 1000 + i), NO_LIFE);
	}
	canister_pid_history_expire(h, 1ULL << 40);
	assert_int_equal(canister_pid_history_size(h), CAPACITY);
	canister_pid_history_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_refuses_bad_arguments),
		cmocka_unit_test(test_one_life_and_its_boundaries),
		cmocka_unit_test(test_reused_pid_answers_by_time),
		cmocka_unit_test(test_exit_and_next_start_at_one_instant),
		cmocka_unit_test(test_start_before_reported_exit),
		cmocka_unit_test(test_start_of_pid_without_history_is_not_kept),
		cmocka_unit_test(test_start_after_exit_waits_for_its_own_life),
		cmocka_unit_test(test_exits_recorded_out_of_order),
		cmocka_unit_test(test_expire_at_the_boundary),
		cmocka_unit_test(test_full_table_evicts_the_first_recorded),
		cmocka_unit_test(test_eviction_keeps_the_start_of_the_life_exiting),
		cmocka_unit_test(test_matches_a_naive_model),
		cmocka_unit_test(test_full_size_table),
	};

	return cmocka_run_group_tests_name("pid_history", tests, NULL, NULL);
}
