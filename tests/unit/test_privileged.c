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

/* The walk comes in hash order; the summary keeps the lowest pids, ascending, and counts all. */
static void test_keeps_lowest_pids(void **state)
{
	struct canister_privileged_scan scan = { 0 };

	for (int pid = 5000; pid > 2000; pid--)
		privileged_scan_add(&scan, pid, pid % 2 ? 6 : 7, pid % 3 != 0, "uid 0");
	privileged_scan_add(&scan, 77, 9, false, "");
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

	privileged_scan_add(&scan, 300, 4, true, "uid 0");
	privileged_scan_add(&scan, 100, 4, true, "CAP_BPF effective");
	privileged_scan_add(&scan, 200, 5, false, "");
	assert_true(scan.scanned == 3 && scan.privileged == 2);
	assert_int_equal(scan.shown_count, 2);
	assert_int_equal(scan.shown[0].pid, 100);
	assert_int_equal(scan.shown[1].pid, 300);
	assert_string_equal(scan.shown[0].why, "CAP_BPF effective");
	assert_string_equal(scan.shown[1].why, "uid 0");
}

static void test_warning_none(void **state)
{
	struct canister_privileged_scan scan = { .done = true, .scanned = 40 };
	char text[64];

	memset(text, 'x', sizeof(text));
	privileged_warning(&scan, false, text, sizeof(text));
	assert_string_equal(text, "");
}

/* One process: its pid, its container and why, as the status shows it. */
static void test_warning_one(void **state)
{
	struct canister_privileged_scan scan = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1];

	privileged_scan_add(&scan, 4242, 6, true, "CAP_SYS_ADMIN permitted, not effective");
	privileged_warning(&scan, false, text, sizeof(text));
	assert_string_equal(text, "pid 4242 in container 6 could tamper with labels "
				  "(CAP_SYS_ADMIN permitted, not effective)");
	privileged_warning(&scan, true, text, sizeof(text));
	assert_string_equal(text, "pid 4242 in container 6 could tamper with labels "
				  "(CAP_SYS_ADMIN permitted, not effective); the lsm guard "
				  "refuses it new fds to canister's objects");
}

static void test_warning_many(void **state)
{
	struct canister_privileged_scan scan = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1];

	for (int pid = 101; pid <= 712; pid++)
		privileged_scan_add(&scan, pid, 6, true, "uid 0");
	privileged_warning(&scan, false, text, sizeof(text));
	assert_string_equal(text,
			    "612 labelled processes could tamper with labels: pid 101 in "
			    "container 6 (uid 0), pid 102 in container 6 (uid 0), pid 103 in "
			    "container 6 (uid 0), pid 104 in container 6 (uid 0), pid 105 in "
			    "container 6 (uid 0), pid 106 in container 6 (uid 0), pid 107 in "
			    "container 6 (uid 0), pid 108 in container 6 (uid 0), pid 109 in "
			    "container 6 (uid 0), pid 110 in container 6 (uid 0) and 602 more");

	/* Exactly as many as are named: no "and 0 more". */
	memset(&scan, 0, sizeof(scan));
	privileged_scan_add(&scan, 1, 2, true, "uid 0");
	privileged_scan_add(&scan, 3, 4, true, "CAP_BPF effective");
	privileged_warning(&scan, true, text, sizeof(text));
	assert_string_equal(
		text,
		"2 labelled processes could tamper with labels (the lsm guard "
		"refuses them new fds to canister's objects): pid 1 in container 2 (uid 0), pid "
		"3 in container 4 (CAP_BPF effective)");
}

/* The longest warning fits a status warning, its count of the rest whole; a short buffer is cut. */
static void test_warning_bounded(void **state)
{
	struct canister_privileged_scan scan = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1], small[40], why[CANISTER_STATUS_WHY_MAX + 1];

	memset(why, 'w', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	for (int i = 0; i < CANISTER_STATUS_PRIVILEGED_SHOWN; i++)
		privileged_scan_add(&scan, INT_MAX - i, UINT64_MAX - 1, true, why);
	scan.privileged = UINT64_MAX;
	privileged_warning(&scan, true, text, sizeof(text));
	assert_true(strlen(text) < sizeof(text) - 1);
	/* Not all ten fit: those left out are counted among the rest. */
	assert_non_null(strstr(text, "wwww) and 1844674407370955"));
	assert_non_null(strstr(text, " more"));

	memset(small, 'x', sizeof(small));
	privileged_warning(&scan, true, small, sizeof(small) - 1);
	assert_true(strlen(small) <= sizeof(small) - 2);
	assert_int_equal(small[sizeof(small) - 1], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_lowest_pids), cmocka_unit_test(test_fewer_than_shown),
		cmocka_unit_test(test_warning_none),	  cmocka_unit_test(test_warning_one),
		cmocka_unit_test(test_warning_many),	  cmocka_unit_test(test_warning_bounded),
	};

	return cmocka_run_group_tests_name("privileged", tests, NULL, NULL);
}
