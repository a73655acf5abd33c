// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: which decision records are written, repeated or over a container's rate. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/record_repeats.h"

#include <string.h>

#define SECOND 1000000000ULL

static struct canister_record_seen seen[16];
static struct canister_rate_bucket buckets[4];
static struct canister_rate_limit limit = {
	.buckets = buckets, .count = 4, .per_second = 2, .burst = 2
};
static struct canister_record_repeats repeats = {
	.seen = seen, .seen_count = 16, .limit = &limit, .window_ns = SECOND
};

static int reset(void **state)
{
	(void)state;
	memset(seen, 0, sizeof(seen));
	memset(buckets, 0, sizeof(buckets));
	return 0;
}

static void test_windowed(void **state)
{
	uint64_t r = 9;

	(void)state;
	assert_int_equal(canister_record_fate(&repeats, 5, 1, true, SECOND, &r),
			 CANISTER_RECORD_WRITE);
	assert_int_equal(r, 0);
	assert_int_equal(canister_record_fate(&repeats, 5, 1, true, SECOND + 1, &r),
			 CANISTER_RECORD_REPEATED);
	assert_int_equal(canister_record_fate(&repeats, 5, 1, true, SECOND + 2, &r),
			 CANISTER_RECORD_REPEATED);
	/* A second later it is written again, carrying the two left out. */
	assert_int_equal(canister_record_fate(&repeats, 5, 1, true, 3 * SECOND, &r),
			 CANISTER_RECORD_WRITE);
	assert_int_equal(r, 2);
}

static void test_unwindowed_and_forget(void **state)
{
	uint64_t r;

	(void)state;
	assert_int_equal(canister_record_fate(&repeats, 7, 1, false, SECOND, &r),
			 CANISTER_RECORD_WRITE);
	assert_int_equal(canister_record_fate(&repeats, 7, 1, false, 100 * SECOND, &r),
			 CANISTER_RECORD_REPEATED);
	canister_record_forget(&repeats, 1);
	assert_int_equal(canister_record_fate(&repeats, 7, 1, false, 101 * SECOND, &r),
			 CANISTER_RECORD_WRITE);
}

static void test_rate(void **state)
{
	uint64_t r;

	(void)state;
	/* Distinct decisions of one container: its burst of 2, then suppressed. */
	assert_int_equal(canister_record_fate(&repeats, 1, 3, true, SECOND, &r),
			 CANISTER_RECORD_WRITE);
	assert_int_equal(canister_record_fate(&repeats, 2, 3, true, SECOND, &r),
			 CANISTER_RECORD_WRITE);
	assert_int_equal(canister_record_fate(&repeats, 3, 3, true, SECOND, &r),
			 CANISTER_RECORD_SUPPRESSED);
	assert_int_not_equal(canister_record_key(CANISTER_RECORD_KEY_START, "a", 1),
			     canister_record_key(CANISTER_RECORD_KEY_START, "b", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_windowed, reset),
		cmocka_unit_test_setup(test_unwindowed_and_forget, reset),
		cmocka_unit_test_setup(test_rate, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
