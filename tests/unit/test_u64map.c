// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the in-memory u64 map (lookups on the audit path), against a plain model. */
#include "lib/u64map.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static void test_empty_map_has_nothing(void **state)
{
	struct canister_u64map map = { 0 };
	uint64_t value = 7;

	assert_false(canister_u64map_get(&map, 0, &value));
	assert_false(canister_u64map_remove(&map, 1));
	assert_int_equal(value, 7);
	canister_u64map_clear(&map);
}

static void test_put_replaces_and_remove_forgets(void **state)
{
	struct canister_u64map map = { 0 };
	uint64_t value;

	assert_int_equal(canister_u64map_put(&map, UINT64_MAX, 1), 0);
	assert_int_equal(canister_u64map_put(&map, UINT64_MAX, 2), 0);
	assert_int_equal(map.count, 1);
	assert_true(canister_u64map_get(&map, UINT64_MAX, &value));
	assert_int_equal(value, 2);
	assert_true(canister_u64map_remove(&map, UINT64_MAX));
	assert_false(canister_u64map_get(&map, UINT64_MAX, &value));
	assert_int_equal(map.count, 0);
	canister_u64map_clear(&map);
}

/*
 * Random puts and removes on a small key space (so that probe chains collide
 * and deletions shift entries), checked against an array after every step.
 */
static void test_churn_matches_a_model(void **state)
{
	enum { KEYS = 3000, STEPS = 200000 };
	static uint64_t model[KEYS];
	static bool present[KEYS];
	struct canister_u64map map = { 0 };
	size_t count = 0;

	srand(42);
	for (int step = 0; step < STEPS; step++) {
		uint64_t key = (uint64_t)(rand() % KEYS);
		uint64_t value = ((uint64_t)rand() << 32) | (uint64_t)rand();
		uint64_t got;

		if (rand() % 3) {
			assert_int_equal(canister_u64map_put(&map, key * 4096, value), 0);
			count += !present[key];
			present[key] = true;
			model[key] = value;
		} else {
			assert_int_equal(canister_u64map_remove(&map, key * 4096), present[key]);
			count -= present[key];
			present[key] = false;
		}
		assert_int_equal(map.count, count);
		key = (uint64_t)(rand() % KEYS);
		assert_int_equal(canister_u64map_get(&map, key * 4096, &got), present[key]);
		if (present[key])
			assert_true(got == model[key]);
	}
	for (uint64_t key = 0; key < KEYS; key++) {
		uint64_t got;

		assert_int_equal(canister_u64map_get(&map, key * 4096, &got), present[key]);
		if (present[key])
			assert_true(got == model[key]);
	}
	canister_u64map_clear(&map);
	assert_int_equal(map.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_map_has_nothing),
		cmocka_unit_test(test_put_replaces_and_remove_forgets),
		cmocka_unit_test(test_churn_matches_a_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
