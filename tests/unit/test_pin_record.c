// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the record of canisterd's pins and the check of the pins against it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/pin_record.h"

#include <errno.h>
#include <string.h>

static const struct pin_entry pins[] = {
	{ "labels", PIN_MAP, 12 },
	{ "stats", PIN_MAP, 13 },
	{ "links/canister_fork", PIN_LINK, 40 },
};

static void test_round_trip(void **state)
{
	struct pin_entry back[8];
	char text[PIN_RECORD_MAX];

	assert_int_equal(pin_record_format(pins, 3, text, sizeof(text)), 70);
	assert_string_equal(
		text, "canister-pins-1 map:labels:12 map:stats:13 link:links/canister_fork:40");
	assert_int_equal(pin_record_parse(text, back, 8), 3);
	assert_memory_equal(back, pins, sizeof(pins));
	assert_int_equal(pin_record_format(NULL, 0, text, sizeof(text)), 15);
	assert_int_equal(pin_record_parse(text, back, 8), 0);
}

static void test_format_refusals(void **state)
{
	struct pin_entry bad = { "a:b", PIN_MAP, 1 };
	char text[32];

	assert_int_equal(pin_record_format(&bad, 1, text, sizeof(text)), -EINVAL);
	strcpy(bad.name, "a b");
	assert_int_equal(pin_record_format(&bad, 1, text, sizeof(text)), -EINVAL);
	bad.name[0] = '\0';
	assert_int_equal(pin_record_format(&bad, 1, text, sizeof(text)), -EINVAL);
	strcpy(bad.name, "ok");
	bad.kind = 9;
	assert_int_equal(pin_record_format(&bad, 1, text, sizeof(text)), -EINVAL);
	assert_int_equal(pin_record_format(pins, 3, text, sizeof(text)), -ENOSPC);
}

static void test_parse_refusals(void **state)
{
	static const char *const bad[] = {
		"",
		"canister-pins-2 map:labels:12",
		"canister-pins-1x",
		"canister-pins-1 ",
		"canister-pins-1  map:labels:12",
		"canister-pins-1 map:labels",
		"canister-pins-1 map:labels:",
		"canister-pins-1 map:labels:0",
		"canister-pins-1 map:labels:-1",
		"canister-pins-1 map:labels:4294967296",
		"canister-pins-1 map:labels:12x",
		"canister-pins-1 prog:labels:12",
		"canister-pins-1 map::12",
		"canister-pins-1 map:labels:12 link:labels:13",
	};
	struct pin_entry back[2];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pin_record_parse(bad[i], back, 2), -EINVAL);
	assert_int_equal(pin_record_parse("canister-pins-1 map:a:1 map:b:2 map:c:3", back, 2),
			 -E2BIG);
}

static void test_check(void **state)
{
	struct pin_entry swapped[3], record[3];
	struct pin_use uses[] = { { "links/canister_fork", "labels", 12 },
				  { "links/canister_fork", "fork_bp.rodata", 77 } };
	struct pin_state s = {
		.pinned = pins,
		.pinned_count = 3,
		.record = pins,
		.record_count = 3,
		.uses = uses,
		.use_count = 2,
	};
	char why[256];

	assert_int_equal(pin_record_check(&s, why, sizeof(why)), 0);
	/* A first start, and pins of a canisterd before the record. */
	s.pinned_count = 0;
	s.record = NULL;
	s.record_count = 0;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), 0);
	s.pinned_count = 3;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), 0);

	/* The labels pin swapped: the link's program tells, with or without a record. */
	memcpy(swapped, pins, sizeof(pins));
	swapped[0].id = 99;
	s.pinned = swapped;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "the pin labels holds map id 99, but the pinned program "
				 "links/canister_fork uses its map labels with id 12: the pin was "
				 "replaced");
	/* ... and with the links gone, the record. */
	s.use_count = 0;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), 0);
	s.record = pins;
	s.record_count = 3;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "the pin labels holds map id 99, but canisterd pinned map id 12 "
				 "there: it was replaced");

	/* A pin canisterd did not make; one it made that is gone. */
	s.pinned = pins;
	s.record = record;
	memcpy(record, pins, sizeof(pins));
	s.record_count = 2;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "links/canister_fork (link id 40) is pinned, but canisterd did "
				 "not pin it");
	s.pinned_count = 1;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), -ENOENT);
	assert_string_equal(why, "canisterd pinned stats (map id 13), but the pin is gone");
	/* A record with nothing pinned: someone removed the pins, not --unload. */
	s.pinned_count = 0;
	assert_int_equal(pin_record_check(&s, why, sizeof(why)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format_refusals),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
