// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the names of ended containers' lists, and which of them go first. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/ended_lists.h"

#include <string.h>

static void test_name_reads_back(void **state)
{
	struct ended_list parsed;
	char name[64];

	(void)state;
	ended_list_name(18446744073709551614ULL, INT64_MAX, name, sizeof(name));
	assert_string_equal(name, "18446744073709551614.ended-9223372036854775807");
	assert_true(ended_list_parse(name, &parsed));
	assert_true(parsed.contid == 18446744073709551614ULL);
	assert_true(parsed.when == INT64_MAX);
	assert_string_equal(parsed.name, name);
	assert_true(ended_list_parse("0.ended-0", &parsed));
	assert_true(parsed.contid == 0 && parsed.when == 0);
}

/* A live list, a refused one and anything not written by ended_list_name() are never pruned. */
static void test_other_names_are_not_ended(void **state)
{
	static const char *const names[] = {
		"700",
		"700.refused-1700000000",
		".ended-1700000000",
		"700.ended-",
		"700.ended-17x",
		"+700.ended-1700000000",
		"0700.ended-1700000000",
		"700.ended-01700000000",
		"700.ended--1",
		"700.ended-1.ended-2",
		"18446744073709551616.ended-1",
		"1.ended-9223372036854775808",
		"700.ended-1700000000.new",
		" 700.ended-1700000000",
	};
	struct ended_list parsed;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ended_list_parse(names[i], &parsed))
			fail_msg("taken for an ended list: \"%s\"", names[i]);
}

static void test_oldest_go_first(void **state)
{
	struct ended_list lists[] = {
		{ .contid = 9, .when = 300 },
		{ .contid = 3, .when = 100 },
		{ .contid = 7, .when = 200 },
		{ .contid = 2, .when = 100 },
	};

	(void)state;
	assert_int_equal(ended_lists_to_remove(lists, 4, 4), 0);
	assert_int_equal(ended_lists_to_remove(lists, 4, 10), 0);
	assert_int_equal(ended_lists_to_remove(lists, 4, 1), 3);
	/* Oldest first; two that ended in the same second by contid. */
	assert_true(lists[0].contid == 2 && lists[1].contid == 3 && lists[2].contid == 7);
	assert_true(lists[3].contid == 9);
	assert_int_equal(ended_lists_to_remove(lists, 4, 0), 4);
	assert_int_equal(ended_lists_to_remove(lists, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_reads_back),
		cmocka_unit_test(test_other_names_are_not_ended),
		cmocka_unit_test(test_oldest_go_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
