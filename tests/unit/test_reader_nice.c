// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the gate reader's nice value and its status line (integrity/reader_nice.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "integrity/reader_nice.h"

static void test_nice_below_canisterd(void **state)
{
	(void)state;
	assert_int_equal(reader_nice_of(0), -READER_NICE_BOOST);
	/* An administrator's nice value for canisterd moves the reader's with it. */
	assert_int_equal(reader_nice_of(10), 10 - READER_NICE_BOOST);
	assert_int_equal(reader_nice_of(19), 19 - READER_NICE_BOOST);
	assert_int_equal(reader_nice_of(-5), -5 - READER_NICE_BOOST);
}

static void test_nice_bounded(void **state)
{
	(void)state;
	/* Never below the kernel's least, whatever canisterd runs at. */
	assert_int_equal(reader_nice_of(-19), READER_NICE_MIN);
	assert_int_equal(reader_nice_of(READER_NICE_MIN), READER_NICE_MIN);
	assert_int_equal(reader_nice_of(-100), READER_NICE_MIN);
	assert_int_equal(reader_nice_of(100), READER_NICE_MAX);
}

static void test_describe_raised(void **state)
{
	char detail[160];

	(void)state;
	assert_true(reader_nice_describe(0, 0, -2, detail, sizeof(detail)));
	assert_string_equal(detail,
			    "nice -2, canisterd's 0: the opener it answers seldom preempts it");
}

static void test_describe_refused(void **state)
{
	char detail[160];

	(void)state;
	/* Without CAP_SYS_NICE the reader stays at canisterd's value, and status says why. */
	assert_false(reader_nice_describe(-EACCES, 5, 5, detail, sizeof(detail)));
	assert_string_equal(detail, "nice 5 as canisterd: cannot raise it to 3: Permission denied");
}

static void test_describe_at_the_top(void **state)
{
	char detail[160];

	(void)state;
	assert_false(reader_nice_describe(0, -20, -20, detail, sizeof(detail)));
	assert_string_equal(detail, "nice -20 as canisterd: no higher priority exists");
}

static void test_describe_truncates(void **state)
{
	char detail[8];

	(void)state;
	assert_true(reader_nice_describe(0, 0, -2, detail, sizeof(detail)));
	assert_int_equal(strlen(detail), sizeof(detail) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_below_canisterd),
		cmocka_unit_test(test_nice_bounded),
		cmocka_unit_test(test_describe_raised),
		cmocka_unit_test(test_describe_refused),
		cmocka_unit_test(test_describe_at_the_top),
		cmocka_unit_test(test_describe_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
