// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the summary of privileged labelled processes, and its one warning. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "identity/privileged.h"

#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

static void test_caps_that_reach_the_maps(void **state)
{
	assert_false(privileged_caps(0));
	/* Root's usual set in a default container profile: no SYS_ADMIN, no BPF. */
	assert_false(privileged_caps((1ULL << CAP_CHOWN) | (1ULL << CAP_NET_BIND_SERVICE) |
				     (1ULL << CAP_SETUID) | (1ULL << CAP_SYS_CHROOT)));
	assert_true(privileged_caps(1ULL << CAP_SYS_ADMIN));
	assert_true(privileged_caps(1ULL << CAP_BPF));
	assert_true(privileged_caps(~0ULL));
}

/* The walk comes in hash order; the summary keeps the lowest pids, ascending, and counts all. */
static void test_keeps_lowest_pids(void **state)
{
	struct canister_privileged_scan scan = { 0 };

	for (int pid = 5000; pid > 2000; pid--)
		privileged_scan_add(&scan, pid, pid % 2 ? 6 : 7, pid % 3 != 0);
	privileged_scan_add(&scan, 77, 9, false);
	assert_true(scan.scanned == 3001);
	assert_true(scan.privileged == 2000);
	assert_int_equal(scan.shown_count, CANISTER_STATUS_PRIVILEGED_SHOWN);
	/* 2001..2015 without the multiples of 3. */
	assert_int_equal(scan.shown[0].pid, 2002);
	assert_true(scan.shown[0].contid == 7);
	assert_int_equal(scan.shown[1].pid, 2003);
	assert_true(scan.shown[1].contid == 6);
	assert_int_equal(scan.shown[9].pid, 2015);
	for (unsigned int i = 1; i < scan.shown_count; i++)
		assert_true(scan.shown[i - 1].pid < scan.shown[i].pid);
}

static void test_fewer_than_shown(void **state)
{
	struct canister_privileged_scan scan = { 0 };

	privileged_scan_add(&scan, 300, 4, true);
	privileged_scan_add(&scan, 100, 4, true);
	privileged_scan_add(&scan, 200, 5, false);
	assert_true(scan.scanned == 3 && scan.privileged == 2);
	assert_int_equal(scan.shown_count, 2);
	assert_int_equal(scan.shown[0].pid, 100);
	assert_int_equal(scan.shown[1].pid, 300);
}

static void test_warning_none(void **state)
{
	struct canister_privileged_scan scan = { .done = true, .scanned = 40 };
	char text[64];

	memset(text, 'x', sizeof(text));
	privileged_warning(&scan, false, text, sizeof(text));
	assert_string_equal(text, "");
}

/* One process reads as it always did, so that scripts matching it keep working. */
static void test_warning_one(void **state)
{
	struct canister_privileged_scan scan = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1];

	privileged_scan_add(&scan, 4242, 6, true);
	privileged_warning(&scan, false, text, sizeof(text));
	assert_string_equal(text, "pid 4242 in container 6 holds CAP_SYS_ADMIN or CAP_BPF and "
				  "could tamper with labels");
	privileged_warning(&scan, true, text, sizeof(text));
	assert_string_equal(text, "pid 4242 in container 6 holds CAP_SYS_ADMIN or CAP_BPF and "
				  "could tamper with labels (the lsm guard refuses it)");
}

static void test_warning_many(void **state)
{
	struct canister_privileged_scan scan = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1];

	for (int pid = 101; pid <= 712; pid++)
		privileged_scan_add(&scan, pid, 6, true);
	privileged_warning(&scan, false, text, sizeof(text));
	assert_string_equal(text,
			    "612 labelled processes hold CAP_SYS_ADMIN or CAP_BPF and could "
			    "tamper with labels: pid 101 in container 6, pid 102 in container 6, "
			    "pid 103 in container 6, pid 104 in container 6, pid 105 in container "
			    "6, pid 106 in container 6, pid 107 in container 6, pid 108 in "
			    "container 6, pid 109 in container 6, pid 110 in container 6 and 602 "
			    "more");

	/* Exactly as many as are named: no "and 0 more". */
	memset(&scan, 0, sizeof(scan));
	privileged_scan_add(&scan, 1, 2, true);
	privileged_scan_add(&scan, 3, 4, true);
	privileged_warning(&scan, true, text, sizeof(text));
	assert_string_equal(text, "2 labelled processes hold CAP_SYS_ADMIN or CAP_BPF and could "
				  "tamper with labels (the lsm guard refuses them): pid 1 in "
				  "container 2, pid 3 in container 4");
}

/* The longest warning fits a status warning whole; a short buffer is cut, never overrun. */
static void test_warning_bounded(void **state)
{
	struct canister_privileged_scan scan = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1], small[40];

	for (int i = 0; i < CANISTER_STATUS_PRIVILEGED_SHOWN; i++)
		privileged_scan_add(&scan, INT_MAX - i, UINT64_MAX - 1, true);
	scan.privileged = UINT64_MAX;
	privileged_warning(&scan, true, text, sizeof(text));
	assert_true(strlen(text) < sizeof(text) - 1);
	assert_non_null(strstr(text, "and 18446744073709551605 more"));

	memset(small, 'x', sizeof(small));
	privileged_warning(&scan, true, small, sizeof(small) - 1);
	assert_int_equal(strlen(small), sizeof(small) - 2);
	assert_int_equal(small[sizeof(small) - 1], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_that_reach_the_maps),
		cmocka_unit_test(test_keeps_lowest_pids),
		cmocka_unit_test(test_fewer_than_shown),
		cmocka_unit_test(test_warning_none),
		cmocka_unit_test(test_warning_one),
		cmocka_unit_test(test_warning_many),
		cmocka_unit_test(test_warning_bounded),
	};

	return cmocka_run_group_tests_name("privileged", tests, NULL, NULL);
}
