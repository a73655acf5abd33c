// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a process's cgroups of the v1 hierarchies (lib/cgroup1.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/cgroup1.h"

#include <errno.h>
#include <string.h>

static void test_line(void **state)
{
	static struct canister_cgroup1 one;

	(void)state;
	assert_int_equal(canister_cgroup1_line("6:freezer:/user.slice/session-3.scope\n", &one), 0);
	assert_string_equal(one.controllers, "freezer");
	assert_string_equal(one.path, "/user.slice/session-3.scope");
	assert_string_equal(one.dir, "");
	assert_int_equal(canister_cgroup1_line("1:cpu,cpuacct:/", &one), 0);
	assert_string_equal(one.controllers, "cpu,cpuacct");
	assert_string_equal(one.path, "/");
	assert_int_equal(canister_cgroup1_line("9:name=systemd:/a b\n3:x:/y\n", &one), 0);
	assert_string_equal(one.controllers, "name=systemd");
	assert_string_equal(one.path, "/a b");
}

static void test_line_refused(void **state)
{
	static struct canister_cgroup1 one;
	char line[sizeof(one.path) + 32];

	(void)state;
	/* v2's line is not one of v1. */
	assert_int_equal(canister_cgroup1_line("0::/system.slice\n", &one), -ENOENT);
	assert_int_equal(canister_cgroup1_line("", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line("freezer:/", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line(":freezer:/", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line("6x:freezer:/", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line("6:freezer:", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line("6:freezer:\n", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line("6:freezer:relative", &one), -EINVAL);
	/* Outside the reader's cgroup namespace; a removed cgroup. */
	assert_int_equal(canister_cgroup1_line("6:freezer:/../../x", &one), -EINVAL);
	assert_int_equal(canister_cgroup1_line("6:freezer:/gone (deleted)", &one), -EINVAL);
	/* A path that does not fit. */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "6:freezer:/", 11);
	assert_int_equal(canister_cgroup1_line(line, &one), -ENAMETOOLONG);
}

static void test_mounts(void **state)
{
	(void)state;
	assert_true(canister_cgroup1_mounts("freezer", "rw,freezer"));
	assert_true(canister_cgroup1_mounts("cpu,cpuacct", "rw,cpu,cpuacct"));
	assert_true(canister_cgroup1_mounts("name=systemd", "rw,xattr,name=systemd"));
	assert_true(canister_cgroup1_mounts("cpuset", "rw,noprefix,cpuset,clone_children"));
	/* A word that only begins like one; another hierarchy; part of a pair. */
	assert_false(canister_cgroup1_mounts("cpu", "rw,cpuacct"));
	assert_false(canister_cgroup1_mounts("cpu", "rw,cpuset"));
	assert_false(canister_cgroup1_mounts("pids", "rw,freezer"));
	assert_false(canister_cgroup1_mounts("cpu,cpuacct", "rw,cpu"));
	assert_false(canister_cgroup1_mounts("name=systemd", "rw,name=elogind"));
	/* Nothing named, or an empty name, names no mount. */
	assert_false(canister_cgroup1_mounts("", "rw,freezer"));
	assert_false(canister_cgroup1_mounts("freezer,", "rw,freezer"));
	assert_false(canister_cgroup1_mounts(",freezer", "rw,freezer"));
}

static void test_lines(void **state)
{
	static struct canister_cgroup1 list[3];
	size_t count = 99;

	(void)state;
	/* No cgroup2 ever mounted, no v1 hierarchy: the kernel prints nothing. */
	assert_int_equal(canister_cgroup1_lines("", list, 3, &count), 0);
	assert_int_equal(count, 0);
	/* v2 alone. */
	assert_int_equal(canister_cgroup1_lines("0::/\n", list, 3, &count), 0);
	assert_int_equal(count, 0);
	/* A hybrid host's table, in its order; no final newline. */
	assert_int_equal(
		canister_cgroup1_lines("9:name=systemd:/\n6:freezer:/a\n0::/b", list, 3, &count),
		0);
	assert_int_equal(count, 2);
	assert_string_equal(list[0].controllers, "name=systemd");
	assert_string_equal(list[1].controllers, "freezer");
	assert_string_equal(list[1].path, "/a");
	/* More than room for; a line that is not one. */
	assert_int_equal(canister_cgroup1_lines("1:a:/\n2:b:/\n3:c:/\n4:d:/\n", list, 3, &count),
			 -E2BIG);
	assert_int_equal(count, 0);
	assert_int_equal(canister_cgroup1_lines("1:a:/\nnonsense\n", list, 3, &count), -EINVAL);
	assert_int_equal(count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_line_refused),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests_name("cgroup1", tests, NULL, NULL);
}
