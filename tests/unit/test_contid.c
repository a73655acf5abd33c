// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the strict decimal parsing of contids and pids typed by users. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/contid.h"

#include <errno.h>
#include <limits.h>

/* Whatever the parser refuses must leave the caller's variable as it was. */
#define CONTID_SENTINEL 0x5a5a5a5a5a5a5a5aULL
#define PID_SENTINEL 4242

static void test_contid_accepts_full_range(void **state)
{
	static const struct {
		const char *text;
		uint64_t value;
	} cases[] = {
		{ "0", 0 },
		{ "7", 7 },
		{ "9007199254740993", 9007199254740993ULL }, /* 2^53 + 1: no double in between */
		{ "18446744073709551614", UINT64_MAX - 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t contid = CONTID_SENTINEL;

		assert_int_equal(canister_parse_contid(cases[i].text, &contid), 0);
		assert_true(contid == cases[i].value);
	}
}

/* (u64)-1 is CANISTER_CONTID_UNSET: a user must not be able to register "no container". */
static void test_contid_refuses_unset_value(void **state)
{
	uint64_t contid = CONTID_SENTINEL;

	assert_int_equal(canister_parse_contid("18446744073709551615", &contid), -EINVAL);
	assert_true(contid == CONTID_SENTINEL);
}

static void test_contid_overflow_is_erange(void **state)
{
	static const char *const texts[] = {
		"18446744073709551616",
		"99999999999999999999999999",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		uint64_t contid = CONTID_SENTINEL;

		assert_int_equal(canister_parse_contid(texts[i], &contid), -ERANGE);
		assert_true(contid == CONTID_SENTINEL);
	}
}

/* Everything strtoull() would quietly reinterpret is refused outright. */
static void test_contid_refuses_non_decimal(void **state)
{
	static const char *const texts[] = {
		"",    "-1",  "+7", " 7",  "7 ",  "\t7", "7\n",
		"0x7", "0X7", "7a", "1e3", "1.0", "-0",	 "\xd9\xa3", /* ARABIC-INDIC DIGIT THREE */
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		uint64_t contid = CONTID_SENTINEL;

		if (canister_parse_contid(texts[i], &contid) != -EINVAL)
			fail_msg("contid \"%s\" was not refused with EINVAL", texts[i]);
		assert_true(contid == CONTID_SENTINEL);
	}
	assert_int_equal(canister_parse_contid(NULL, &(uint64_t){ 0 }), -EINVAL);
}

static void test_pid_accepts_range(void **state)
{
	pid_t pid = PID_SENTINEL;

	assert_int_equal(canister_parse_pid("1", &pid), 0);
	assert_int_equal(pid, 1);
	assert_int_equal(canister_parse_pid("2147483647", &pid), 0);
	assert_int_equal(pid, INT_MAX);
}

/* pid 0 would mean "the caller" to several syscalls; it is never a process a user names. */
static void test_pid_refuses_zero(void **state)
{
	pid_t pid = PID_SENTINEL;

	assert_int_equal(canister_parse_pid("0", &pid), -EINVAL);
	assert_int_equal(pid, PID_SENTINEL);
}

static void test_pid_above_int_max_is_erange(void **state)
{
	static const char *const texts[] = {
		"2147483648",
		"4294967297", /* would truncate to 1 in a 32-bit cast */
		"18446744073709551615",
		"18446744073709551616",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		pid_t pid = PID_SENTINEL;

		if (canister_parse_pid(texts[i], &pid) != -ERANGE)
			fail_msg("pid \"%s\" was not refused with ERANGE", texts[i]);
		assert_int_equal(pid, PID_SENTINEL);
	}
}

static void test_pid_refuses_non_decimal(void **state)
{
	static const char *const texts[] = { "", "-1", "+7", " 7", "7 ", "0x7", "7a", "1.0" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		pid_t pid = PID_SENTINEL;

		if (canister_parse_pid(texts[i], &pid) != -EINVAL)
			fail_msg("pid \"%s\" was not refused with EINVAL", texts[i]);
		assert_int_equal(pid, PID_SENTINEL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contid_accepts_full_range),
		cmocka_unit_test(test_contid_refuses_unset_value),
		cmocka_unit_test(test_contid_overflow_is_erange),
		cmocka_unit_test(test_contid_refuses_non_decimal),
		cmocka_unit_test(test_pid_accepts_range),
		cmocka_unit_test(test_pid_refuses_zero),
		cmocka_unit_test(test_pid_above_int_max_is_erange),
		cmocka_unit_test(test_pid_refuses_non_decimal),
	};

	return cmocka_run_group_tests_name("contid", tests, NULL, NULL);
}
