// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: contid chains, ages and the `canister ps` table as a person reads them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/container_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_chain(const uint64_t *chain, unsigned int depth, const char *expected)
{
	char buf[CANISTER_CHAIN_TEXT_MAX];

	memset(buf, 'x', sizeof(buf));
	canister_format_chain(chain, depth, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

/* The same form as the contid= field of records, so that a grep finds both. */
static void test_chain_text(void **state)
{
	static const uint64_t chain[] = { 4, 2, 1 };

	expect_chain(chain, 0, "unset");
	expect_chain(chain, 1, "4");
	expect_chain(chain, 2, "4,^2");
	expect_chain(chain, 3, "4,^2,^1");
}

/* The longest chain fits the buffer the header promises; a short buffer is cut, not overrun. */
static void test_chain_text_bounds(void **state)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	char buf[CANISTER_CHAIN_TEXT_MAX], small[8];

	for (size_t i = 0; i < CANISTER_NEST_LIMIT_MAX; i++)
		chain[i] = UINT64_MAX - 1 - i;
	canister_format_chain(chain, CANISTER_NEST_LIMIT_MAX, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 20 * 20 + 19 * 2);
	assert_true(strncmp(buf, "18446744073709551614,^18446744073709551613,^", 44) == 0);

	memset(small, 'x', sizeof(small));
	canister_format_chain(chain, 3, small, sizeof(small));
	assert_string_equal(small, "1844674");
}

static void expect_age(int64_t seconds, const char *expected)
{
	char buf[32];

	canister_format_age(seconds, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

static void test_age_units(void **state)
{
	expect_age(0, "0s");
	expect_age(5, "5s");
	expect_age(59, "59s");
	expect_age(60, "1m");
	expect_age(3 * 60 + 59, "3m");
	expect_age(3599, "59m");
	expect_age(3600, "1h");
	expect_age(2 * 3600 + 3599, "2h");
	expect_age(86399, "23h");
	expect_age(86400, "1d");
	expect_age(4 * 86400 + 86399, "4d");
	expect_age(400 * 86400LL, "400d");
	/* The clock went back since the registration: not a negative age. */
	expect_age(-30, "0s");
}

/* Runs canister_ps_print() into memory. */
static char *ps_text(const struct canister_container_entry *entries, size_t count, int64_t now)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	canister_ps_print(entries, count, now, out);
	fclose(out);
	return text;
}

static void test_ps_table(void **state)
{
	static const struct canister_container_entry entries[] = {
		{ .chain = { 2 },
		  .depth = 1,
		  .name = "db-1",
		  .processes = 3,
		  .first_pid = 123,
		  .owner = 0,
		  .registered = 1700000000 - 5 },
		{ .chain = { 4, 2 },
		  .depth = 2,
		  .name = "",
		  .processes = 1,
		  .first_pid = 130,
		  .owner = 7,
		  .registered = 1700000000 - 3 * 60 },
		{ .chain = { 9007199254740993ULL },
		  .depth = 1,
		  .name = "web-1",
		  .processes = 12,
		  .first_pid = 2147483647,
		  .owner = 0,
		  .registered = 1700000000 - 4 * 86400 },
	};
	char *text = ps_text(entries, 3, 1700000000);

	assert_string_equal(text, "CONTID            NAME   PROCS  FIRST-PID   OWNER         AGE\n"
				  "2                 db-1   3      123         host          5s\n"
				  "4,^2              -      1      130         delegation 7  3m\n"
				  "9007199254740993  web-1  12     2147483647  host          4d\n");
	free(text);
}

/* No containers: the header alone, so a script can tell "none" from "no answer". */
static void test_ps_empty_table(void **state)
{
	char *text = ps_text(NULL, 0, 1700000000);

	assert_string_equal(text, "CONTID  NAME  PROCS  FIRST-PID  OWNER  AGE\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_text),     cmocka_unit_test(test_chain_text_bounds),
		cmocka_unit_test(test_age_units),      cmocka_unit_test(test_ps_table),
		cmocka_unit_test(test_ps_empty_table),
	};

	return cmocka_run_group_tests_name("container_format", tests, NULL, NULL);
}
