// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: whether a process blocked at the gate opens its file for writing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/opener_syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

static int parse(const char *line)
{
	return opener_syscall_parse(line, strlen(line));
}

/* What the kernel prints for each open: the flags are the 3rd field (open) or the 4th (openat). */
static void test_opens(void **state)
{
	(void)state;
	/* openat(AT_FDCWD, path, O_RDONLY|O_CLOEXEC) */
	assert_int_equal(parse("257 0xffffffffffffff9c 0x7ffd1e2 0x80000 0x0 0x0 0x0 0x7ffd10 "
			       "0x7f12ab\n"),
			 OPENER_OPENS_TO_READ);
	/* openat(..., O_WRONLY|O_CREAT|O_APPEND) */
	assert_int_equal(parse("257 0xffffff9c 0x55d0 0x441 0x1b6 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_OPENS_TO_WRITE);
	/* openat(..., O_RDWR) */
	assert_int_equal(parse("257 0xffffff9c 0x55d0 0x2 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_OPENS_TO_WRITE);
	/* open(path, O_RDONLY|O_TRUNC): no write access is taken */
	assert_int_equal(parse("2 0x55d0 0x200 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_OPENS_TO_READ);
	/* open(path, O_WRONLY) */
	assert_int_equal(parse("2 0x55d0 0x1 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_OPENS_TO_WRITE);
	/* open(path, 3): permission checks for both, and neither mode */
	assert_int_equal(parse("2 0x55d0 0x3 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_OPENS_TO_READ);
	/* creat(path, mode) */
	assert_int_equal(parse("85 0x55d0 0x1a4 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_OPENS_TO_WRITE);
	/* without the newline */
	assert_int_equal(parse("85 0x55d0 0x1a4 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab"),
			 OPENER_OPENS_TO_WRITE);
}

/* The flags themselves, for the access policies' rights (an O_TRUNC read writes). */
static void test_flags(void **state)
{
	static const char trunc[] = "2 0x55d0 0x200 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n";
	static const char at[] = "257 0xffffff9c 0x55d0 0x441 0x1b6 0x0 0x0 0x7ffd10 0x7f12ab\n";
	static const char creat[] = "85 0x55d0 0x1a4 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n";
	uint64_t flags = 0;

	(void)state;
	assert_int_equal(opener_syscall_flags(trunc, strlen(trunc), &flags), OPENER_OPENS_TO_READ);
	assert_int_equal(flags, O_TRUNC);
	assert_int_equal(opener_syscall_flags(at, strlen(at), &flags), OPENER_OPENS_TO_WRITE);
	assert_int_equal(flags, O_WRONLY | O_CREAT | O_APPEND);
	assert_int_equal(opener_syscall_flags(creat, strlen(creat), &flags), OPENER_OPENS_TO_WRITE);
	assert_int_equal(flags, O_CREAT | O_WRONLY | O_TRUNC);
}

/* Whatever cannot say which open this is: nothing is concluded. */
static void test_unknown(void **state)
{
	(void)state;
	/* openat2: the flags are in the opener's memory, which it may change after the kernel read
	 */
	assert_int_equal(parse("437 0xffffff9c 0x55d0 0x7ffd00 0x18 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_UNKNOWN);
	/* execve: the loader's opens are reads */
	assert_int_equal(parse("59 0x55d0 0x55d8 0x55e0 0x0 0x0 0x0 0x7ffd10 0x7f12ab\n"),
			 OPENER_UNKNOWN);
	/* io_uring_enter: the open runs elsewhere */
	assert_int_equal(parse("426 0x3 0x1 0x0 0x1 0x0 0x8 0x7ffd10 0x7f12ab\n"), OPENER_UNKNOWN);
	assert_int_equal(parse("running\n"), OPENER_RUNNING);
	assert_int_equal(parse("-1 0x7ffd10 0x7f12ab\n"), OPENER_UNKNOWN);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"257",
		"257 0x1 0x2 0x3 0x4 0x5 0x6 0x7\n",	     /* a field short */
		"257 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9\n", /* a field more */
		"257 0x1 0x2 0x2 0x4 0x5 0x6 0x7 0x8 \n",    /* a trailing space */
		"257  0x1 0x2 0x2 0x4 0x5 0x6 0x7 0x8\n",    /* two spaces */
		"257 1 0x2 0x2 0x4 0x5 0x6 0x7 0x8\n",	     /* an argument without 0x */
		"257 0x1 0x2 0xG 0x4 0x5 0x6 0x7 0x8\n",     /* not hex */
		"257 0x1 0x2 0xA 0x4 0x5 0x6 0x7 0x8\n", /* upper case: the kernel prints lower */
		"257 0x1 0x2 0x10000000000000000 0x4 0x5 0x6 0x7 0x8\n", /* 17 digits */
		"0x101 0x1 0x2 0x2 0x4 0x5 0x6 0x7 0x8\n",		 /* the number in hex */
		"-2 0x1 0x2 0x2 0x4 0x5 0x6 0x7 0x8\n",			 /* negative, not -1 */
		"-1 0x7ffd10\n",					 /* -1 with one field */
		"runnin\n",
		"running now\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i]) != -EINVAL)
			fail_msg("accepted: \"%s\" (%d)", bad[i], parse(bad[i]));
	/* A NUL inside is not the end of the line. */
	assert_int_equal(
		opener_syscall_parse("2 0x55d0 0x1\0 0x0 0x0 0x0 0x0 0x7ffd10 0x7f12ab", 47),
		-EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opens),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("opener_syscall", tests, NULL, NULL);
}
