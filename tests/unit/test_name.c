// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: which container names an orchestrator may give. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/name.h"

#include <canister/canister.h>
#include <errno.h>
#include <string.h>

static void test_accepts_what_orchestrators_use(void **state)
{
	static const char *const names[] = {
		"web-1",
		"3f2b8c4e-9d1a-4e57-8a43-0b6d2c1e9f70",				    /* UUID */
		"9f9d0063f5ab4b04a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718", /* digest */
		"k8s_POD_nginx.default:v1+x@node",
		"a",
	};
	char why[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(canister_name_check(names[i], why, sizeof(why)), 0);
}

static void test_refuses_empty_long_and_odd_characters(void **state)
{
	char name[CANISTER_NAME_MAX + 2];
	char why[128] = "";

	assert_int_equal(canister_name_check("", why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "a container name must not be empty");
	assert_int_equal(canister_name_check(NULL, why, sizeof(why)), -EINVAL);

	memset(name, 'x', CANISTER_NAME_MAX);
	name[CANISTER_NAME_MAX] = '\0';
	assert_int_equal(canister_name_check(name, why, sizeof(why)), 0);
	name[CANISTER_NAME_MAX] = 'x';
	name[CANISTER_NAME_MAX + 1] = '\0';
	assert_int_equal(canister_name_check(name, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "a container name has at most 64 characters");

	/* Nothing a record, a log line or a shell would need to quote. */
	static const char *const bad[] = {
		"a b", "a\"b", "a/b", "a\tb", "a\xc3\xa9", "a;b", "a$b"
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(canister_name_check(bad[i], why, sizeof(why)), -EINVAL);
		assert_non_null(strstr(why, "character 2 of the container name"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_what_orchestrators_use),
		cmocka_unit_test(test_refuses_empty_long_and_odd_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
