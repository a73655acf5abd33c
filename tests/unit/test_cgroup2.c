// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: where a process's cgroup v2 is (lib/cgroup2.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/cgroup2.h"

#include <errno.h>
#include <string.h>

static void test_v2_path_found(void **state)
{
	char buf[64];

	(void)state;
	/* A hybrid host: v1 lines first, the unified one last. */
	assert_int_equal(canister_cgroup2_proc_path("12:pids:/a\n1:name=systemd:/x\n"
						    "0::/system.slice/c1.scope\n",
						    buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "/system.slice/c1.scope");
	assert_int_equal(canister_cgroup2_proc_path("0::/\n", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/");
	/* No trailing newline. */
	assert_int_equal(canister_cgroup2_proc_path("0::/a/b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/a/b");
}

static void test_v2_path_refused(void **state)
{
	char buf[8];

	(void)state;
	/* A v1-only host, or nothing read. */
	assert_int_equal(canister_cgroup2_proc_path("3:cpu:/a\n", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(canister_cgroup2_proc_path("", buf, sizeof(buf)), -ENOENT);
	/* Outside canisterd's cgroup namespace, a removed cgroup, no path. */
	assert_int_equal(canister_cgroup2_proc_path("0::/../x\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(canister_cgroup2_proc_path("0::/a (deleted)\n", buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(canister_cgroup2_proc_path("0::\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(canister_cgroup2_proc_path("0::a\n", buf, sizeof(buf)), -EINVAL);
	/* "/1234567" needs 9 bytes with its NUL. */
	assert_int_equal(canister_cgroup2_proc_path("0::/1234567\n", buf, sizeof(buf)),
			 -ENAMETOOLONG);
	assert_int_equal(canister_cgroup2_proc_path("0::/123456\n", buf, sizeof(buf)), 0);
}

static void test_dir(void **state)
{
	char buf[64], small[12];

	(void)state;
	/* The root cgroup is the mount itself; canister run's child goes beneath it. */
	assert_int_equal(canister_cgroup2_dir("/sys/fs/cgroup", "/", NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/fs/cgroup");
	assert_int_equal(canister_cgroup2_dir("/sys/fs/cgroup/unified", "/", "canister-run-7", buf,
					      sizeof(buf)),
			 0);
	assert_string_equal(buf, "/sys/fs/cgroup/unified/canister-run-7");
	assert_int_equal(canister_cgroup2_dir("/sys/fs/cgroup", "/user.slice/s.scope", NULL, buf,
					      sizeof(buf)),
			 0);
	assert_string_equal(buf, "/sys/fs/cgroup/user.slice/s.scope");
	assert_int_equal(canister_cgroup2_dir("/sys/fs/cgroup", "/a", "b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/fs/cgroup/a/b");
	/* A name is one component. */
	assert_int_equal(canister_cgroup2_dir("/r", "/a", "", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(canister_cgroup2_dir("/r", "/a", "x/y", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(canister_cgroup2_dir("/r", "/a", "..", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(canister_cgroup2_dir("/r", "/a", ".", buf, sizeof(buf)), -EINVAL);
	/* "/r/a/bcdefg" needs 12 bytes with its NUL. */
	assert_int_equal(canister_cgroup2_dir("/r", "/a", "bcdefg", small, sizeof(small)), 0);
	assert_int_equal(canister_cgroup2_dir("/r", "/a", "bcdefgh", small, sizeof(small)),
			 -ENAMETOOLONG);
}

static bool is_seven(pid_t pid, void *ctx)
{
	(*(int *)ctx)++;
	return pid == 7;
}

static void test_procs_count(void **state)
{
	uint64_t count = 99;
	int asked = 0;

	(void)state;
	assert_int_equal(canister_cgroup2_procs_count("", NULL, NULL, &count), 0);
	assert_int_equal(count, 0);
	assert_int_equal(canister_cgroup2_procs_count("1\n7\n300\n", NULL, NULL, &count), 0);
	assert_int_equal(count, 3);
	/* The container's own are left out; every pid is asked about once. */
	assert_int_equal(canister_cgroup2_procs_count("1\n7\n300\n", is_seven, &asked, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(asked, 3);
	/* No trailing newline. */
	assert_int_equal(canister_cgroup2_procs_count("7\n8", is_seven, &asked, &count), 0);
	assert_int_equal(count, 1);
	/* Not a pid list: *ret_count untouched. */
	count = 99;
	assert_int_equal(canister_cgroup2_procs_count("1\nx\n", NULL, NULL, &count), -EINVAL);
	assert_int_equal(canister_cgroup2_procs_count("1 2\n", NULL, NULL, &count), -EINVAL);
	assert_int_equal(canister_cgroup2_procs_count("0\n", NULL, NULL, &count), -EINVAL);
	assert_int_equal(canister_cgroup2_procs_count("\n", NULL, NULL, &count), -EINVAL);
	assert_int_equal(count, 99);
}

static void test_run_name(void **state)
{
	char buf[32], small[16];

	(void)state;
	assert_int_equal(canister_cgroup2_run_name(4242, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "canister-run-4242");
	assert_int_equal(canister_cgroup2_run_pid(buf), 4242);
	assert_int_equal(canister_cgroup2_run_name(4242, 3, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "canister-run-4242-3");
	assert_int_equal(canister_cgroup2_run_pid(buf), 4242);
	/* "canister-run-123" needs 17 bytes with its NUL. */
	assert_int_equal(canister_cgroup2_run_name(123, 0, small, sizeof(small)), -ENAMETOOLONG);
	/* Only names it makes: anything else beside it is never taken for a run's. */
	assert_int_equal(canister_cgroup2_run_pid("canister-run-"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-0"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-012"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run--5"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-5x"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-5-"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-5-0"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-5-2x"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-run-99999999999"), 0);
	assert_int_equal(canister_cgroup2_run_pid("canister-test-5"), 0);
	assert_int_equal(canister_cgroup2_run_pid("session-3.scope"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_path_found), cmocka_unit_test(test_v2_path_refused),
		cmocka_unit_test(test_dir),	      cmocka_unit_test(test_procs_count),
		cmocka_unit_test(test_run_name),
	};

	return cmocka_run_group_tests_name("cgroup2", tests, NULL, NULL);
}
