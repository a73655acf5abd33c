// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for canister_exec_find: which commands `canister run` refuses before it registers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/exec_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/canister-test-exec.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", tmpdir);
	return system(command);
}

/* Writes @text to tmpdir/@name with @mode; returns the path in a static buffer. */
static const char *put(const char *name, const char *text, mode_t mode)
{
	static char path[PATH_MAX];
	char dir[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0755);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void test_paths_with_a_slash(void **state)
{
	char found[PATH_MAX] = "";
	const char *path;

	path = put("image", "\177ELF....", 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), 0);
	assert_string_equal(found, path);

	/* What execve(2) refuses with EACCES: no x bit (root too), not a regular file. */
	path = put("data", "\177ELF....", 0644);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), -EACCES);
	assert_int_equal(canister_exec_find(tmpdir, NULL, found, sizeof(found)), -EACCES);

	assert_int_equal(canister_exec_find("/nonexistent/x", NULL, found, sizeof(found)), -ENOENT);
	/* A file taken for a directory is "not found", as execvp(3) reports it. */
	path = put("image", "\177ELF....", 0755);
	snprintf(found, sizeof(found), "%s/x", path);
	assert_int_equal(canister_exec_find(found, NULL, found, sizeof(found)), -ENOENT);
	assert_int_equal(canister_exec_find("", NULL, found, sizeof(found)), -ENOENT);
}

static void test_scripts_need_their_interpreter(void **state)
{
	char found[PATH_MAX], line[PATH_MAX + 8];
	const char *path;

	path = put("ok.sh", "#!/bin/sh\nexit 0\n", 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), 0);
	path = put("spaced.sh", "#!  /bin/sh -e\n", 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), 0);

	path = put("lost.sh", "#!/nonexistent/interpreter\n", 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), -ENOENT);
	snprintf(line, sizeof(line), "#!%s/data\n", tmpdir);
	put("data", "", 0644);
	path = put("denied.sh", line, 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), -EACCES);

	/* A script that is its own interpreter: the kernel gives up, and so do we. */
	snprintf(line, sizeof(line), "#!%s/self.sh\n", tmpdir);
	path = put("self.sh", line, 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), -ELOOP);

	/* No format the kernel knows: execvp(3) hands it to /bin/sh, so it runs. */
	path = put("plain", "echo hi\n", 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), 0);
	path = put("bare", "#!\n", 0755);
	assert_int_equal(canister_exec_find(path, NULL, found, sizeof(found)), 0);
}

static void test_search_path_as_execvp(void **state)
{
	char search[3 * PATH_MAX], found[PATH_MAX], expected[PATH_MAX];

	put("a/tool", "\177ELF", 0644);
	put("b/tool", "\177ELF", 0755);
	put("a/only-denied", "\177ELF", 0644);
	snprintf(search, sizeof(search), "/nonexistent:%s/a:%s/b", tmpdir, tmpdir);

	/* An earlier candidate that may not run gives way to a later one that may. */
	assert_int_equal(canister_exec_find("tool", search, found, sizeof(found)), 0);
	snprintf(expected, sizeof(expected), "%s/b/tool", tmpdir);
	assert_string_equal(found, expected);
	assert_int_equal(canister_exec_find("only-denied", search, found, sizeof(found)), -EACCES);
	assert_int_equal(canister_exec_find("missing", search, found, sizeof(found)), -ENOENT);

	/* An empty entry is the working directory. */
	assert_int_equal(chdir(tmpdir), 0);
	put("here", "\177ELF", 0755);
	assert_int_equal(canister_exec_find("here", "/nonexistent::", found, sizeof(found)), 0);
	assert_string_equal(found, "here");
	/* No PATH at all: /bin:/usr/bin, as execvp(3) takes it. */
	assert_int_equal(canister_exec_find("sh", NULL, found, sizeof(found)), 0);
}

static void test_exit_statuses(void **state)
{
	assert_int_equal(canister_exec_status(-ENOENT), 127);
	assert_int_equal(canister_exec_status(-EACCES), 126);
	assert_int_equal(canister_exec_status(-ELOOP), 126);
	assert_int_equal(canister_exec_status(-E2BIG), 126);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_with_a_slash),
		cmocka_unit_test(test_scripts_need_their_interpreter),
		cmocka_unit_test(test_search_path_as_execvp),
		cmocka_unit_test(test_exit_statuses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
