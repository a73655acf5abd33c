// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for canister_mkdir_p/_parent: where canisterd's socket, log and pins get their
 * directories. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/mkdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/canister-test-mkdir.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", tmpdir);
	return system(command);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	return st.st_mode & 07777;
}

static void test_creates_every_missing_level_with_the_mode(void **state)
{
	char path[256];
	mode_t old_umask = umask(0);

	snprintf(path, sizeof(path), "%s/a/b/c", tmpdir);
	assert_int_equal(canister_mkdir_p(path, 0700), 0);
	umask(old_umask);
	assert_int_equal(mode_of(path), 0700);
	snprintf(path, sizeof(path), "%s/a", tmpdir);
	assert_int_equal(mode_of(path), 0700);
	/* The temporary directory existed: its mode is not touched. */
	assert_int_equal(mode_of(tmpdir), 0700);
}

static void test_existing_directory_is_fine(void **state)
{
	assert_int_equal(canister_mkdir_p(tmpdir, 0755), 0);
	assert_int_equal(canister_mkdir_p("/", 0755), 0);
}

static void test_parent_of_a_file_path(void **state)
{
	char path[256], dir[256];

	snprintf(path, sizeof(path), "%s/run/canister/control.sock", tmpdir);
	snprintf(dir, sizeof(dir), "%s/run/canister", tmpdir);
	assert_int_equal(canister_mkdir_parent(path, 0755), 0);
	mode_of(dir);
	/* The file itself is not created as a directory. */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(canister_mkdir_parent("/control.sock", 0755), 0);
}

static void test_a_file_in_the_way_is_an_error(void **state)
{
	char file[200], path[256];
	FILE *f;

	snprintf(file, sizeof(file), "%s/plain", tmpdir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/below", file);
	assert_int_equal(canister_mkdir_p(path, 0755), -ENOTDIR);
}

static void test_over_long_path_is_refused(void **state)
{
	char path[600];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(canister_mkdir_p(path, 0755), -ENAMETOOLONG);
	assert_int_equal(canister_mkdir_parent(path, 0755), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_creates_every_missing_level_with_the_mode),
		cmocka_unit_test(test_existing_directory_is_fine),
		cmocka_unit_test(test_parent_of_a_file_path),
		cmocka_unit_test(test_a_file_in_the_way_is_an_error),
		cmocka_unit_test(test_over_long_path_is_refused),
	};

	return cmocka_run_group_tests_name("mkdir", tests, setup, teardown);
}
