// SPDX-License-Identifier: GPL-2.0-only
/* canister: per-key token buckets (lib/rate_limit.c). */
#include "lib/rate_limit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define SEC 1000000000ULL

static unsigned int taken(struct canister_rate_limit *limit, uint64_t key, uint64_t now,
			  unsigned int tries)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < tries; i++)
		n += canister_rate_take(limit, key, now);
	return n;
}

/* A burst, then per_second a second; whole tokens only, the remainder carried over. */
static void test_burst_then_rate(void **state)
{
	struct canister_rate_bucket buckets[4] = { 0 };
	struct canister_rate_limit limit = {
		.buckets = buckets, .count = 4, .per_second = 10, .burst = 20
	};

	(void)state;
	assert_int_equal(taken(&limit, 7, 5 * SEC, 100), 20);
	/* 50 ms: half a token, none yet; 100 ms: one. */
	assert_int_equal(taken(&limit, 7, 5 * SEC + SEC / 20, 5), 0);
	assert_int_equal(taken(&limit, 7, 5 * SEC + SEC / 10, 5), 1);
	/* 150 ms then 200 ms: the half token of 150 ms was not lost. */
	assert_int_equal(taken(&limit, 7, 5 * SEC + 3 * SEC / 20, 5), 0);
	assert_int_equal(taken(&limit, 7, 5 * SEC + SEC / 5, 5), 1);
	/* A long pause refills the burst, not more. */
	assert_int_equal(taken(&limit, 7, 100 * SEC, 100), 20);
}

/* One key's flood does not take another's tokens; a clock that goes back refills nothing. */
static void test_keys_apart(void **state)
{
	struct canister_rate_bucket buckets[4] = { 0 };
	struct canister_rate_limit limit = {
		.buckets = buckets, .count = 4, .per_second = 1, .burst = 3
	};

	(void)state;
	assert_int_equal(taken(&limit, 1, SEC, 10), 3);
	assert_int_equal(taken(&limit, 2, SEC, 10), 3);
	assert_int_equal(taken(&limit, 1, SEC / 2, 10), 0);
	/* Key 5 shares key 1's slot: it takes it over with a full burst. */
	assert_int_equal(taken(&limit, 5, SEC, 10), 3);
	assert_int_equal(taken(&limit, 1, SEC, 10), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_rate),
		cmocka_unit_test(test_keys_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
