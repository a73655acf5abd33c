// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the record of canisterd's pins and the check of the pins against it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/pin_record.h"

#include <errno.h>
#include <stdio.h>
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

/* A text of @count entries, as canisterd formats it: more than one part from about 160 on. */
static int many_pins(size_t count, char *text, size_t len)
{
	static struct pin_entry entries[512];

	for (size_t i = 0; i < count; i++) {
		snprintf(entries[i].name, sizeof(entries[i].name), "links/canister_prog_%zu", i);
		entries[i].kind = PIN_LINK;
		entries[i].id = (uint32_t)(100000 + i);
	}
	return pin_record_format(entries, count, text, len);
}

/* @text cut as write_record() cuts it: part i in @parts[i], its length in @lens[i]. */
static size_t split(const char *text, size_t len, const char *parts[], size_t lens[])
{
	size_t count = pin_record_parts(len);

	for (size_t i = 0; i < count; i++) {
		size_t at = i * PIN_RECORD_PART;

		parts[i] = text + at;
		lens[i] = len - at < PIN_RECORD_PART ? len - at : PIN_RECORD_PART;
	}
	for (size_t i = count; i < PIN_RECORD_PARTS; i++) {
		parts[i] = NULL;
		lens[i] = 0;
	}
	return count;
}

static void test_parts(void **state)
{
	assert_int_equal(pin_record_parts(0), 1);
	assert_int_equal(pin_record_parts(1), 1);
	assert_int_equal(pin_record_parts(PIN_RECORD_PART), 1);
	assert_int_equal(pin_record_parts(PIN_RECORD_PART + 1), 2);
	assert_int_equal(pin_record_parts(PIN_RECORD_MAX), PIN_RECORD_PARTS);
}

/* 512 pins (MAX_PINS) fit the record's parts, and come back whole from them. */
static void test_split_join(void **state)
{
	static char text[PIN_RECORD_MAX], joined[PIN_RECORD_MAX + 1];
	static struct pin_entry back[512];
	const char *parts[PIN_RECORD_PARTS];
	size_t lens[PIN_RECORD_PARTS], count;
	char why[256];
	int len;

	len = many_pins(512, text, sizeof(text));
	assert_true(len > 3 * PIN_RECORD_PART);
	count = split(text, (size_t)len, parts, lens);
	assert_true(count > 3 && lens[count - 1] < PIN_RECORD_PART);
	assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined, sizeof(joined), why,
					 sizeof(why)),
			 len);
	assert_memory_equal(joined, text, (size_t)len);
	assert_int_equal(pin_record_parse(joined, back, 512), 512);
	assert_string_equal(back[511].name, "links/canister_prog_511");
	assert_int_equal(back[511].id, 100511);

	/* One part: the text as it is. */
	len = many_pins(3, text, sizeof(text));
	assert_int_equal(split(text, (size_t)len, parts, lens), 1);
	assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined, sizeof(joined), why,
					 sizeof(why)),
			 len);
	assert_string_equal(joined, text);

	/* A text of exactly one full part, and one a byte over it. */
	memset(text, 'x', PIN_RECORD_PART + 1);
	assert_int_equal(split(text, PIN_RECORD_PART, parts, lens), 1);
	assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined, sizeof(joined), why,
					 sizeof(why)),
			 PIN_RECORD_PART);
	assert_int_equal(split(text, PIN_RECORD_PART + 1, parts, lens), 2);
	assert_int_equal(lens[1], 1);
	assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined, sizeof(joined), why,
					 sizeof(why)),
			 PIN_RECORD_PART + 1);
}

/* Refused with the part named, and the caller's buffer left as it was. */
static void expect_join_refused(const char *parts[], size_t lens[], int err, const char *named)
{
	static char joined[PIN_RECORD_MAX + 1];
	char why[256] = "";

	memset(joined, '#', sizeof(joined));
	assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined, sizeof(joined), why,
					 sizeof(why)),
			 err);
	assert_non_null(strstr(why, named));
	for (size_t i = 0; i < sizeof(joined); i++)
		assert_int_equal(joined[i], '#');
}

static void test_join_refusals(void **state)
{
	static char text[PIN_RECORD_MAX], corrupt[PIN_RECORD_PART + 1];
	const char *parts[PIN_RECORD_PARTS];
	size_t lens[PIN_RECORD_PARTS], count;
	char small[16], why[256];
	int len = many_pins(512, text, sizeof(text)), r;

	count = split(text, (size_t)len, parts, lens);

	/* No first part: no record, which is not an error of the record's. */
	parts[0] = NULL;
	expect_join_refused(parts, lens, -ENOENT, "no record");

	/* A missing middle part, not read as a shorter record. */
	split(text, (size_t)len, parts, lens);
	parts[1] = NULL;
	expect_join_refused(parts, lens, -EINVAL, "part 2 of the record is missing, but part 3");

	/*
	 * The last part gone cannot be told from a shorter record: the text
	 * ends within an entry (refused here), or at one, and then the pins
	 * not in it are refused by pin_record_check() (test_check).
	 */
	split(text, (size_t)len, parts, lens);
	parts[count - 1] = NULL;
	{
		static char joined[PIN_RECORD_MAX + 1];
		static struct pin_entry back[512];

		assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined,
						 sizeof(joined), why, sizeof(why)),
				 (count - 1) * PIN_RECORD_PART);
		r = pin_record_parse(joined, back, 512);
		assert_true(r == -EINVAL || (r >= 0 && r < 512));
	}

	/* A middle part cut short, or left from a longer record after a shorter one's last. */
	split(text, (size_t)len, parts, lens);
	lens[1] = 100;
	expect_join_refused(parts, lens, -EINVAL, "part 2 of the record holds 100 bytes");

	/* A part longer than canisterd writes, or with a NUL byte in it. */
	split(text, (size_t)len, parts, lens);
	memset(corrupt, 'x', sizeof(corrupt));
	parts[2] = corrupt;
	lens[2] = PIN_RECORD_PART + 1;
	expect_join_refused(parts, lens, -EINVAL, "part 3 of the record is not a part");
	corrupt[10] = '\0';
	lens[2] = PIN_RECORD_PART;
	expect_join_refused(parts, lens, -EINVAL, "part 3 of the record is not a part");

	/* A corrupted part's text joins, and the parse refuses it. */
	split(text, (size_t)len, parts, lens);
	memcpy(corrupt, parts[1], PIN_RECORD_PART);
	memcpy(corrupt + 50, "::::", 4);
	parts[1] = corrupt;
	{
		static char joined[PIN_RECORD_MAX + 1];
		static struct pin_entry back[512];

		assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, joined,
						 sizeof(joined), why, sizeof(why)),
				 len);
		assert_int_equal(pin_record_parse(joined, back, 512), -EINVAL);
	}

	/* A buffer too small, left as it was. */
	split(text, (size_t)len, parts, lens);
	memset(small, '#', sizeof(small));
	assert_int_equal(pin_record_join(parts, lens, PIN_RECORD_PARTS, small, sizeof(small), why,
					 sizeof(why)),
			 -ENOSPC);
	assert_non_null(strstr(why, "do not fit"));
	assert_memory_equal(small, "################", sizeof(small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_format_refusals),
		cmocka_unit_test(test_parse_refusals), cmocka_unit_test(test_check),
		cmocka_unit_test(test_parts),	       cmocka_unit_test(test_split_join),
		cmocka_unit_test(test_join_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
