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

static void test_v2_path_found(void **state)
{
	char buf[64];

	(void)state;
	/* A hybrid host: v1 lines first, the unified one last. */
	assert_int_equal(container_cgroup_v2_path("12:pids:/a\n1:name=systemd:/x\n"
						  "0::/system.slice/c1.scope\n",
						  buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "/system.slice/c1.scope");
	assert_int_equal(container_cgroup_v2_path("0::/\n", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/");
	/* No trailing newline. */
	assert_int_equal(container_cgroup_v2_path("0::/a/b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/a/b");
}

static void test_v2_path_refused(void **state)
{
	char buf[8];

	(void)state;
	/* A v1-only host, or nothing read. */
	assert_int_equal(container_cgroup_v2_path("3:cpu:/a\n", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(container_cgroup_v2_path("", buf, sizeof(buf)), -ENOENT);
	/* Outside canisterd's cgroup namespace, a removed cgroup, no path. */
	assert_int_equal(container_cgroup_v2_path("0::/../x\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(container_cgroup_v2_path("0::/a (deleted)\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(container_cgroup_v2_path("0::\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(container_cgroup_v2_path("0::a\n", buf, sizeof(buf)), -EINVAL);
	/* "/1234567" needs 9 bytes with its NUL. */
	assert_int_equal(container_cgroup_v2_path("0::/1234567\n", buf, sizeof(buf)),
			 -ENAMETOOLONG);
	assert_int_equal(container_cgroup_v2_path("0::/123456\n", buf, sizeof(buf)), 0);
}

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
		cmocka_unit_test(test_v2_path_found),
		cmocka_unit_test(test_v2_path_refused),
		cmocka_unit_test(test_choose),
	};

	return cmocka_run_group_tests_name("container_cgroup", tests, NULL, NULL);
}
