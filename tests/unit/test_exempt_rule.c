// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: when the host mount exemption would open a hole, and which containers
 * hold it off (integrity/exempt_rule.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "integrity/exempt_rule.h"

static void test_namespaces(void **state)
{
	struct exempt_ns_facts facts = { .mnt = 11, .pid = 21, .host_mnt = 10, .host_pid = 20 };

	(void)state;
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_NO_HOLE);
	facts.mnt = 10;
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_SHARES_MNT_NS);
	/* The mount namespace is told first: both shared is the mount namespace's hole. */
	facts.pid = 20;
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_SHARES_MNT_NS);
	facts.mnt = 11;
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_SHARES_PID_NS);
	/* What was not read is a hole, never a pass. */
	facts = (struct exempt_ns_facts){ .mnt = 0, .pid = 21, .host_mnt = 10, .host_pid = 20 };
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_SHARES_MNT_NS);
	facts = (struct exempt_ns_facts){ .mnt = 11, .pid = 0, .host_mnt = 10, .host_pid = 20 };
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_SHARES_PID_NS);
	facts = (struct exempt_ns_facts){ .mnt = 11, .pid = 21, .host_mnt = 0, .host_pid = 20 };
	assert_int_equal(exempt_judge_ns(&facts), EXEMPT_SHARES_MNT_NS);
}

static void test_texts(void **state)
{
	char buf[200];

	(void)state;
	exempt_hole_text(EXEMPT_SHARES_MNT_NS, 5, -1, buf, sizeof(buf));
	assert_string_equal(buf, "container 5 shares canisterd's mount namespace");
	exempt_hole_text(EXEMPT_SHARES_PID_NS, 5, -1, buf, sizeof(buf));
	assert_string_equal(buf, "container 5 shares canisterd's pid namespace "
				 "(/proc/PID/root of a host process)");
	exempt_hole_text(EXEMPT_HOLDS_FD, 6, 7, buf, sizeof(buf));
	assert_string_equal(buf, "container 6 holds a descriptor (7) on canisterd's mounts");
	exempt_hole_text(EXEMPT_HOLDS_PIDFD, 6, 4, buf, sizeof(buf));
	assert_string_equal(buf, "container 6 holds a pidfd (4)");
	exempt_hole_text(EXEMPT_HOLDS_NS, 6, 3, buf, sizeof(buf));
	assert_string_equal(buf,
			    "container 6 holds canisterd's mount or pid namespace (descriptor 3)");
	exempt_hole_text(EXEMPT_HOST_PROC, 8, -1, buf, sizeof(buf));
	assert_string_equal(buf, "container 8 has canisterd's /proc mounted");
	/* Truncated, still terminated. */
	exempt_hole_text(EXEMPT_SHARES_MNT_NS, 5, -1, buf, 10);
	assert_string_equal(buf, "container");
}

static int parse(const char *text, struct exempt_fdinfo *ret)
{
	return exempt_fdinfo_parse(text, strlen(text), ret);
}

static void test_fdinfo(void **state)
{
	struct exempt_fdinfo info;

	(void)state;
	/* A file, as 6.18 prints it. */
	assert_int_equal(parse("pos:\t0\nflags:\t0100000\nmnt_id:\t31\nino:\t1234\n", &info), 0);
	assert_true(info.has_mnt_id);
	assert_int_equal(info.mnt_id, 31);
	assert_false(info.is_pidfd);
	/* A pidfd: Pid (-1 once reaped) and NSpid lines. */
	assert_int_equal(parse("pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t9\nPid:\t812\n"
			       "NSpid:\t812\n",
			       &info),
			 0);
	assert_true(info.is_pidfd);
	assert_int_equal(parse("mnt_id:\t16\nPid:\t-1\n", &info), 0);
	assert_true(info.is_pidfd);
	/* Without a trailing newline; "Pid" must be a line of its own, not NSpid's tail. */
	assert_int_equal(parse("mnt_id:\t2", &info), 0);
	assert_int_equal(info.mnt_id, 2);
	assert_int_equal(parse("mnt_id:\t2\nNSpid:\t5\n", &info), 0);
	assert_false(info.is_pidfd);
	/* No mnt_id, or one that does not parse: refused. */
	assert_int_equal(parse("pos:\t0\nflags:\t0\n", &info), -EINVAL);
	assert_int_equal(parse("mnt_id:\tx\n", &info), -EINVAL);
	assert_int_equal(parse("mnt_id:\t12x\n", &info), -EINVAL);
	assert_int_equal(parse("mnt_id:\t\n", &info), -EINVAL);
	assert_int_equal(parse("mnt_id:\t-1\n", &info), -EINVAL);
	assert_int_equal(parse("mnt_id:\t99999999999\n", &info), -EINVAL);
	assert_int_equal(parse("", &info), -EINVAL);
	/* Only @len bytes are read: the digits past it are not. */
	assert_int_equal(exempt_fdinfo_parse("mnt_id:\t345", 9, &info), 0);
	assert_int_equal(info.mnt_id, 3);
}

static void test_mountinfo_id(void **state)
{
	(void)state;
	assert_int_equal(exempt_mountinfo_id("25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"), 25);
	assert_int_equal(exempt_mountinfo_id("x 1 8:1 / / rw\n"), -EINVAL);
	assert_int_equal(exempt_mountinfo_id("25x 1\n"), -EINVAL);
	assert_int_equal(exempt_mountinfo_id(" 25 1\n"), -EINVAL);
	assert_int_equal(exempt_mountinfo_id("99999999999 1\n"), -EINVAL);
	assert_int_equal(exempt_mountinfo_id(""), -EINVAL);
}

static bool gone_odd(uint64_t contid, void *ctx)
{
	(*(int *)ctx)++;
	return contid % 2;
}

static void test_holders(void **state)
{
	struct exempt_holders holders = { 0 };
	int asked = 0;

	(void)state;
	assert_true(exempt_holders_add(&holders, 3));
	assert_false(exempt_holders_add(&holders, 3));
	assert_true(exempt_holders_add(&holders, 4));
	assert_int_equal(holders.count, 2);
	/* 3 is gone, 4 still holds it off. */
	assert_false(exempt_holders_prune(&holders, gone_odd, &asked));
	assert_int_equal(asked, 2);
	assert_int_equal(holders.count, 1);
	assert_int_equal(holders.contid[0], 4);
	holders.contid[0] = 5;
	assert_true(exempt_holders_prune(&holders, gone_odd, &asked));
	assert_int_equal(holders.count, 0);
	/* One more than fit: held off for good (a holder not remembered could still be there). */
	for (uint64_t i = 0; i < EXEMPT_HOLDERS_MAX; i++)
		assert_true(exempt_holders_add(&holders, 2 * i + 1));
	assert_false(holders.overflow);
	assert_true(exempt_holders_add(&holders, 1000));
	assert_true(holders.overflow);
	assert_false(exempt_holders_prune(&holders, gone_odd, &asked));
	assert_int_equal(holders.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespaces), cmocka_unit_test(test_texts),
		cmocka_unit_test(test_fdinfo),	   cmocka_unit_test(test_mountinfo_id),
		cmocka_unit_test(test_holders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
