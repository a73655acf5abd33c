// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the cgroup a container is registered in (identity/container_cgroup.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "identity/container_cgroup.h"

#include <errno.h>
#include <string.h>

static void test_choose(void **state)
{
	(void)state;
	/* Top level: its own cgroup, or none (the hook's fallback). */
	assert_int_equal(container_cgroup_choose(true, false, false, false), CONTAINER_CGROUP_OWN);
	assert_int_equal(container_cgroup_choose(false, false, false, false),
			 CONTAINER_CGROUP_NONE);
	/* Nested: its own only within its parent's recorded one, else the parent's. */
	assert_int_equal(container_cgroup_choose(true, true, true, true), CONTAINER_CGROUP_OWN);
	assert_int_equal(container_cgroup_choose(true, true, true, false), CONTAINER_CGROUP_PARENT);
	assert_int_equal(container_cgroup_choose(false, true, true, false),
			 CONTAINER_CGROUP_PARENT);
	/* A parent with none recorded: nothing to bound it by. */
	assert_int_equal(container_cgroup_choose(true, true, false, false), CONTAINER_CGROUP_OWN);
	assert_int_equal(container_cgroup_choose(false, true, false, false), CONTAINER_CGROUP_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose),
	};

	return cmocka_run_group_tests_name("container_cgroup", tests, NULL, NULL);
}
