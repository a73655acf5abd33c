// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the exact text of canister's audit records, and the namespaces in them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "canister/abi.h"
#include "lib/audit_record.h"
#include "lib/ns_read.h"

#include <auparse.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Above any pid_max the kernel allows (2^22), so never a live process. */
#define NO_SUCH_PID INT_MAX

static const struct canister_record_stamp stamp = { .sec = 1700000000, .msec = 123, .serial = 42 };

static void expect_encoded(const char *value, const char *expected)
{
	char buf[256];

	assert_int_equal(canister_audit_encode(value, buf, sizeof(buf)), strlen(expected));
	assert_string_equal(buf, expected);
}

static void test_encode_printable_is_quoted(void **state)
{
	expect_encoded("web-1", "\"web-1\"");
	expect_encoded("3f2a9c1e-0b7d-4e6f-9a52-8c1d0e7b6a44",
		       "\"3f2a9c1e-0b7d-4e6f-9a52-8c1d0e7b6a44\"");
	/* The whole printable range but '"' stays as it is: 0x21 '!' and 0x7e '~' included. */
	expect_encoded("!~'\\=()", "\"!~'\\=()\"");
}

static void test_encode_hex_for_space_quote_control_and_non_ascii(void **state)
{
	/* A space or a '"' would let the value forge a field; the kernel hexes them. */
	expect_encoded("a b", "612062");
	expect_encoded("a\"b", "612262");
	expect_encoded("x\ny", "780A79");
	expect_encoded("\t", "09");
	expect_encoded("\x7f", "7F");
	/* "é" in UTF-8; bytes above 0x7e are hexed, uppercase as the kernel's hex_asc_upper. */
	expect_encoded("caf\xc3\xa9", "636166C3A9");
	expect_encoded("\xff", "FF");
}

static void test_encode_empty_and_null(void **state)
{
	/* As the kernel: an empty string has nothing to hex, and an absent one reads (null). */
	expect_encoded("", "\"\"");
	expect_encoded(NULL, "(null)");
}

static void test_encode_too_small(void **state)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	/* "web-1" quoted is 7 bytes and needs an 8th for the NUL. */
	assert_int_equal(canister_audit_encode("web-1", buf, 7), -ENOSPC);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(canister_audit_encode("web-1", buf, 8), 7);
	assert_string_equal(buf, "\"web-1\"");
	assert_int_equal(canister_audit_encode("a b", buf, 6), -ENOSPC);
	assert_int_equal(canister_audit_encode(NULL, buf, 6), -ENOSPC);
	assert_int_equal(canister_audit_encode("", buf, 2), -ENOSPC);
	assert_int_equal(canister_audit_encode("", buf, 0), -ENOSPC);
}

static void expect_chain(const uint64_t *chain, unsigned int depth, const char *expected)
{
	char buf[128];

	assert_int_equal(canister_contid_chain_format(chain, depth, buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);
}

static void test_chain_formats(void **state)
{
	const uint64_t chain[] = { 4, 2, 1 };
	const uint64_t big[] = { 18446744073709551614ULL, 0 };
	const uint64_t unset[] = { CANISTER_CONTID_UNSET };

	expect_chain(NULL, 0, "-1");
	expect_chain(chain, 0, "-1");
	expect_chain(chain, 1, "4");
	expect_chain(chain, 2, "4,^2");
	expect_chain(chain, 3, "4,^2,^1");
	expect_chain(big, 2, "18446744073709551614,^0");
	expect_chain(unset, 1, "-1");
}

static void test_chain_errors(void **state)
{
	const uint64_t chain[] = { 4, 2, 1 };
	char buf[16];

	assert_int_equal(canister_contid_chain_format(NULL, 1, buf, sizeof(buf)), -EINVAL);
	memset(buf, 'X', sizeof(buf));
	/* "4,^2,^1" is 7 bytes plus the NUL. */
	assert_int_equal(canister_contid_chain_format(chain, 3, buf, 7), -ENOSPC);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');
	assert_int_equal(canister_contid_chain_format(chain, 3, buf, 8), 7);
	assert_string_equal(buf, "4,^2,^1");
}

static const struct canister_op_record set_record = {
	.op = CANISTER_CONTAINER_OP_SET,
	.opid = 8730,
	.contid = 4,
	.old_contid = CANISTER_CONTID_UNSET,
	.name = "web-1",
	.has_orchestrator = true,
	.pid = 8700,
	.auid = (uint32_t)-1,
	.uid = 0,
	.ses = (uint32_t)-1,
	.res = 1,
};

static void expect_op_record(const struct canister_op_record *rec, const char *expected)
{
	char buf[CANISTER_RECORD_MAX + 1];

	assert_int_equal(canister_format_op_record(&stamp, rec, buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);
}

static void test_op_set(void **state)
{
	expect_op_record(
		&set_record,
		"type=CONTAINER_OP msg=audit(1700000000.123:42): op=set opid=8730 contid=4 "
		"old-contid=-1 name=\"web-1\" pid=8700 auid=4294967295 uid=0 "
		"ses=4294967295 res=1\n");
}

static void test_op_set_refused(void **state)
{
	struct canister_op_record rec = set_record;
	char expected[256];

	rec.name = NULL;
	rec.auid = 1000;
	rec.ses = 3;
	rec.errnum = EEXIST;
	rec.reason = "already in container 7";
	rec.res = 0;
	/* The reason has spaces, so it is hexed as any untrusted string. */
	expect_op_record(&rec, "type=CONTAINER_OP msg=audit(1700000000.123:42): op=set opid=8730 "
			       "contid=4 old-contid=-1 pid=8700 auid=1000 uid=0 ses=3 errno=EEXIST "
			       "reason=616C726561647920696E20636F6E7461696E65722037 res=0\n");

	/* A -errno as functions return it is the same refusal. */
	rec.errnum = -EEXIST;
	rec.reason = NULL;
	expect_op_record(&rec, "type=CONTAINER_OP msg=audit(1700000000.123:42): op=set opid=8730 "
			       "contid=4 old-contid=-1 pid=8700 auid=1000 uid=0 ses=3 errno=EEXIST "
			       "res=0\n");

	/* An errno the protocol has no name for still shows, as a number. */
	rec.errnum = ENOTBLK;
	snprintf(expected, sizeof(expected),
		 "type=CONTAINER_OP msg=audit(1700000000.123:42): op=set opid=8730 contid=4 "
		 "old-contid=-1 pid=8700 auid=1000 uid=0 ses=3 errno=%d res=0\n",
		 ENOTBLK);
	expect_op_record(&rec, expected);
}

static void test_op_join_and_drop(void **state)
{
	struct canister_op_record join = set_record, drop = { 0 };
	struct canister_record_stamp early = { .sec = 1700000001, .msec = 7, .serial = 9 };
	char buf[CANISTER_RECORD_MAX + 1];
	int len;

	join.op = CANISTER_CONTAINER_OP_JOIN;
	join.name = NULL;
	join.opid = 8731;
	join.old_contid = 2;
	expect_op_record(&join, "type=CONTAINER_OP msg=audit(1700000000.123:42): op=join opid=8731 "
				"contid=4 old-contid=2 pid=8700 auid=4294967295 uid=0 "
				"ses=4294967295 res=1\n");

	drop.op = CANISTER_CONTAINER_OP_DROP;
	drop.opid = 8730;
	drop.contid = CANISTER_CONTID_UNSET;
	drop.old_contid = 4;
	drop.name = "web-1";
	drop.res = 1;
	expect_op_record(&drop, "type=CONTAINER_OP msg=audit(1700000000.123:42): op=drop opid=8730 "
				"contid=-1 old-contid=4 name=\"web-1\" res=1\n");

	/* Milliseconds keep their three digits, as the kernel prints them. */
	len = canister_format_op_record(&early, &drop, buf, sizeof(buf));
	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "type=CONTAINER_OP msg=audit(1700000001.007:9): op=drop opid=8730 "
				 "contid=-1 old-contid=4 name=\"web-1\" res=1\n");
}

static void test_op_delegate(void **state)
{
	struct canister_op_record rec = set_record;

	rec.op = CANISTER_CONTAINER_OP_DELEGATE;
	rec.name = NULL;
	rec.opid = 8740;
	rec.contid = 2;
	rec.old_contid = 2;
	rec.delegation = 7;
	expect_op_record(&rec, "type=CONTAINER_OP msg=audit(1700000000.123:42): op=delegate "
			       "opid=8740 contid=2 old-contid=2 delegation=7 pid=8700 "
			       "auid=4294967295 uid=0 ses=4294967295 res=1\n");
}

/* A refusal by the lsm-mode guard: the container that tried, the hook's name encoded. */
static void test_op_guard(void **state)
{
	struct canister_op_record rec = {
		.op = CANISTER_CONTAINER_OP_GUARD,
		.opid = 8750,
		.contid = 71,
		.old_contid = 71,
		.errnum = EPERM,
		.reason = "a kernel module load",
		.res = 0,
	};

	expect_op_record(&rec, "type=CONTAINER_OP msg=audit(1700000000.123:42): op=guard "
			       "opid=8750 contid=71 old-contid=71 errno=EPERM "
			       "reason=61206B65726E656C206D6F64756C65206C6F6164 res=0\n");
}

static void test_op_invalid(void **state)
{
	struct canister_record_stamp bad_stamp = stamp;
	struct canister_op_record rec = set_record;
	char buf[CANISTER_RECORD_MAX + 1] = "sentinel";

	assert_int_equal(canister_format_op_record(NULL, &rec, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(canister_format_op_record(&stamp, NULL, buf, sizeof(buf)), -EINVAL);
	bad_stamp.msec = 1000;
	assert_int_equal(canister_format_op_record(&bad_stamp, &rec, buf, sizeof(buf)), -EINVAL);
	rec.op = (enum canister_container_op)(CANISTER_CONTAINER_OP_TAMPER + 1);
	assert_int_equal(canister_format_op_record(&stamp, &rec, buf, sizeof(buf)), -EINVAL);
	rec = set_record;
	rec.res = 2;
	assert_int_equal(canister_format_op_record(&stamp, &rec, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "");
	assert_null(canister_container_op_name(
		(enum canister_container_op)(CANISTER_CONTAINER_OP_TAMPER + 1)));
	assert_string_equal(canister_container_op_name(CANISTER_CONTAINER_OP_JOIN), "join");
}

/* Every buffer one byte short of the record and NUL gets nothing of it. */
static void test_op_too_small_leaves_no_partial_record(void **state)
{
	char full[CANISTER_RECORD_MAX + 1], buf[CANISTER_RECORD_MAX + 1];
	int len = canister_format_op_record(&stamp, &set_record, full, sizeof(full));

	assert_true(len > 0);
	for (int size = 0; size <= len; size++) {
		memset(buf, 'X', sizeof(buf));
		assert_int_equal(canister_format_op_record(&stamp, &set_record, buf, size),
				 -ENOSPC);
		if (size > 0)
			assert_int_equal(buf[0], '\0');
		for (int i = 1; i < (int)sizeof(buf); i++)
			assert_int_equal(buf[i], 'X');
	}
	assert_int_equal(canister_format_op_record(&stamp, &set_record, buf, len + 1), len);
	assert_string_equal(buf, full);
}

static void test_op_record_max_bounds_any_buffer(void **state)
{
	struct canister_op_record rec = set_record;
	char reason[600], buf[4096];

	/* Hexed, this reason alone is 1200 bytes: too long for one record, however large @buf. */
	memset(reason, 'a', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	reason[0] = ' ';
	rec.reason = reason;
	rec.errnum = EPERM;
	rec.res = 0;
	assert_int_equal(canister_format_op_record(&stamp, &rec, buf, sizeof(buf)), -ENOSPC);
	assert_string_equal(buf, "");
}

static void test_ns_names(void **state)
{
	static const char *const names[] = { "mnt", "uts",  "ipc",    "pid",  "pid_for_children",
					     "net", "user", "cgroup", "time", "time_for_children" };
	char field[64];

	assert_int_equal(sizeof(names) / sizeof(names[0]), CANISTER_NS_COUNT);
	for (int i = 0; i < CANISTER_NS_COUNT; i++) {
		assert_string_equal(canister_ns_name(i), names[i]);
		snprintf(field, sizeof(field), "%s_ns", names[i]);
		assert_string_equal(canister_ns_field(i), field);
	}
	assert_null(canister_ns_name(CANISTER_NS_COUNT));
	assert_null(canister_ns_field(CANISTER_NS_COUNT));
	assert_null(canister_ns_name((enum canister_ns) - 1));
}

static const struct canister_ns_set host_ns = { {
	[CANISTER_NS_MNT] = 4026531841,
	[CANISTER_NS_UTS] = 4026531838,
	[CANISTER_NS_IPC] = 4026531839,
	[CANISTER_NS_PID] = 4026531836,
	[CANISTER_NS_PID_FOR_CHILDREN] = 4026531836,
	[CANISTER_NS_NET] = 4026531840,
	[CANISTER_NS_USER] = 4026531837,
	[CANISTER_NS_CGROUP] = 4026531835,
	[CANISTER_NS_TIME] = 4026531834,
	[CANISTER_NS_TIME_FOR_CHILDREN] = 4026531834,
} };

static void test_ns_register(void **state)
{
	const uint64_t chain[] = { 4, 2 };
	struct canister_ns_set old_kernel = host_ns;
	char buf[CANISTER_RECORD_MAX + 1];
	const char *expected;

	expected = "type=CONTAINER_NS msg=audit(1700000000.123:42): op=register opid=8730 "
		   "contid=4,^2 mnt_ns=4026531841 uts_ns=4026531838 ipc_ns=4026531839 "
		   "pid_ns=4026531836 pid_for_children_ns=4026531836 net_ns=4026531840 "
		   "user_ns=4026531837 cgroup_ns=4026531835 time_ns=4026531834 "
		   "time_for_children_ns=4026531834\n";
	assert_int_equal(canister_format_ns_record(&stamp, "register", 8730, chain, 2, &host_ns,
						   buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);

	/* A kernel without time namespaces (before 5.6) has no such entries: no such fields. */
	old_kernel.inum[CANISTER_NS_TIME] = 0;
	old_kernel.inum[CANISTER_NS_TIME_FOR_CHILDREN] = 0;
	expected = "type=CONTAINER_NS msg=audit(1700000000.123:42): op=register opid=8730 "
		   "contid=4 mnt_ns=4026531841 uts_ns=4026531838 ipc_ns=4026531839 "
		   "pid_ns=4026531836 pid_for_children_ns=4026531836 net_ns=4026531840 "
		   "user_ns=4026531837 cgroup_ns=4026531835\n";
	assert_int_equal(canister_format_ns_record(&stamp, "register", 8730, chain, 1, &old_kernel,
						   buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);
}

static void test_ns_change_lists_only_what_changed(void **state)
{
	const uint64_t chain[] = { 4, 2 };
	struct canister_ns_set moved = host_ns;
	char buf[CANISTER_RECORD_MAX + 1];
	const char *expected;

	moved.inum[CANISTER_NS_NET] = 4026532301;
	moved.inum[CANISTER_NS_UTS] = 4026532300;
	/* Unknown on one side only: nothing to compare, so not reported. */
	moved.inum[CANISTER_NS_TIME] = 0;
	expected = "type=CONTAINER_NS msg=audit(1700000000.123:42): op=unshare opid=8731 "
		   "contid=4,^2 old-uts_ns=4026531838 uts_ns=4026532300 old-net_ns=4026531840 "
		   "net_ns=4026532301\n";
	assert_int_equal(canister_format_ns_change_record(&stamp, "unshare", 8731, chain, 2,
							  &host_ns, &moved, buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);

	expected = "type=CONTAINER_NS msg=audit(1700000000.123:42): op=setns opid=8731 "
		   "contid=4,^2 old-uts_ns=4026532300 uts_ns=4026531838 old-net_ns=4026532301 "
		   "net_ns=4026531840\n";
	assert_int_equal(canister_format_ns_change_record(&stamp, "setns", 8731, chain, 2, &moved,
							  &host_ns, buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);
}

static void test_ns_change_nothing_changed(void **state)
{
	const uint64_t chain[] = { 4 };
	struct canister_ns_set unknown = { { 0 } };
	char buf[CANISTER_RECORD_MAX + 1] = "sentinel";

	assert_int_equal(canister_format_ns_change_record(&stamp, "setns", 1, chain, 1, &host_ns,
							  &host_ns, buf, sizeof(buf)),
			 -ENODATA);
	assert_string_equal(buf, "");
	assert_int_equal(canister_format_ns_change_record(&stamp, "setns", 1, chain, 1, &host_ns,
							  &unknown, buf, sizeof(buf)),
			 -ENODATA);
}

static void test_ns_invalid_and_too_small(void **state)
{
	const uint64_t chain[] = { 4 };
	char buf[CANISTER_RECORD_MAX + 1];
	int len;

	/* op= is written as it is, so it must be a plain word that cannot forge a field. */
	assert_int_equal(canister_format_ns_record(&stamp, "un share", 1, chain, 1, &host_ns, buf,
						   sizeof(buf)),
			 -EINVAL);
	assert_int_equal(
		canister_format_ns_record(&stamp, "x=y", 1, chain, 1, &host_ns, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(
		canister_format_ns_record(&stamp, "", 1, chain, 1, &host_ns, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(
		canister_format_ns_record(&stamp, NULL, 1, chain, 1, &host_ns, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(canister_format_ns_record(&stamp, "register", 1, NULL, 1, &host_ns, buf,
						   sizeof(buf)),
			 -EINVAL);
	assert_int_equal(
		canister_format_ns_record(&stamp, "register", 1, chain, 1, NULL, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(canister_format_ns_change_record(&stamp, "setns", 1, chain, 1, &host_ns,
							  NULL, buf, sizeof(buf)),
			 -EINVAL);

	len = canister_format_ns_record(&stamp, "register", 1, chain, 1, &host_ns, buf,
					sizeof(buf));
	assert_true(len > 0);
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(
		canister_format_ns_record(&stamp, "register", 1, chain, 1, &host_ns, buf, len),
		-ENOSPC);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');
}

static void test_ns_read_self(void **state)
{
	struct canister_ns_set ns;
	char path[64];
	struct stat st;

	memset(&ns, 0xff, sizeof(ns));
	assert_int_equal(canister_ns_read(getpid(), &ns), 0);
	for (int i = 0; i < CANISTER_NS_COUNT; i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", canister_ns_name(i));
		if (stat(path, &st) == 0)
			assert_int_equal(ns.inum[i], (uint32_t)st.st_ino);
		else
			assert_int_equal(ns.inum[i], 0);
	}
	/* Every kernel canister runs on has these. */
	assert_int_not_equal(ns.inum[CANISTER_NS_MNT], 0);
	assert_int_not_equal(ns.inum[CANISTER_NS_PID], 0);
	assert_int_not_equal(ns.inum[CANISTER_NS_NET], 0);
	assert_int_not_equal(ns.inum[CANISTER_NS_USER], 0);
}

static void test_ns_read_missing_and_exited(void **state)
{
	struct canister_ns_set ns = { { 1 } };
	pid_t child;
	int r;

	assert_int_equal(canister_ns_read(NO_SUCH_PID, &ns), -ESRCH);
	assert_int_equal(canister_ns_read(0, &ns), -ESRCH);
	assert_int_equal(ns.inum[0], 1);

	/* A zombie still has its /proc directory but no namespaces left. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	for (int i = 0; i < 200; i++) {
		char path[64], state_line[256] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(state_line, sizeof(state_line), f))
				state_line[0] = '\0';
			fclose(f);
		}
		if (strstr(state_line, ") Z "))
			break;
		usleep(5000);
	}
	r = canister_ns_read(child, &ns);
	waitpid(child, NULL, 0);
	assert_int_equal(r, -ESRCH);
	assert_int_equal(ns.inum[0], 1);
	assert_int_equal(canister_ns_read(child, &ns), -ESRCH);
}

static void test_stamp_now(void **state)
{
	struct canister_record_stamp a, b;
	uint64_t counter = 41;
	time_t before = time(NULL), after;

	canister_record_stamp_now(&counter, &a);
	canister_record_stamp_now(&counter, &b);
	after = time(NULL);
	assert_int_equal(a.serial, 42);
	assert_int_equal(b.serial, 43);
	assert_int_equal(counter, 43);
	assert_true(a.sec >= before && a.sec <= after);
	assert_true(a.msec <= 999);
	assert_true(b.sec > a.sec || (b.sec == a.sec && b.msec >= a.msec));

	/* The serial never comes out 0, even when the counter wraps. */
	counter = UINT64_MAX;
	canister_record_stamp_now(&counter, &a);
	assert_int_equal(a.serial, 1);
}

static int64_t stamp_ms(const struct canister_record_stamp *s)
{
	return s->sec * 1000 + s->msec;
}

static void test_stamp_from_ktime(void **state)
{
	struct canister_record_stamp now, then;
	struct timespec mono, real;
	uint64_t counter = 0, ktime;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	ktime = (uint64_t)mono.tv_sec * 1000000000ULL + (uint64_t)mono.tv_nsec;

	canister_record_stamp_from_ktime(ktime, &counter, &now);
	canister_record_stamp_from_ktime(ktime - 5000000000ULL, &counter, &then);
	assert_int_equal(now.serial, 1);
	assert_int_equal(then.serial, 2);
	/* The same instant on both clocks, give or take the time the calls took. */
	assert_true(llabs(stamp_ms(&now) - ((int64_t)real.tv_sec * 1000 + real.tv_nsec / 1000000)) <
		    100);
	/* Five seconds earlier on the monotonic clock is five seconds earlier on the wall clock. */
	assert_true(llabs(stamp_ms(&now) - stamp_ms(&then) - 5000) <= 1);
}

static const struct canister_record_stamp event_stamp = { .sec = 1700000000,
							  .msec = 456,
							  .serial = 77 };

static void expect_container_id(unsigned int record, const uint64_t *chain, unsigned int depth,
				const char *expected)
{
	char buf[CANISTER_RECORD_MAX + 1];

	assert_int_equal(canister_format_container_id_record(&event_stamp, record, chain, depth,
							     buf, sizeof(buf)),
			 strlen(expected));
	assert_string_equal(buf, expected);
}

static void test_container_id_record(void **state)
{
	const uint64_t nested[] = { 4, 2 };
	const uint64_t big[] = { 18446744073709551614ULL };

	expect_container_id(
		1, nested, 2,
		"type=CONTAINER_ID msg=audit(1700000000.456:77): record=1 contid=4,^2\n");
	expect_container_id(2, nested, 1,
			    "type=CONTAINER_ID msg=audit(1700000000.456:77): record=2 contid=4\n");
	expect_container_id(4294967295U, big, 1,
			    "type=CONTAINER_ID msg=audit(1700000000.456:77): record=4294967295 "
			    "contid=18446744073709551614\n");
}

static void test_container_id_invalid_and_too_small(void **state)
{
	struct canister_record_stamp bad_stamp = event_stamp;
	const uint64_t chain[] = { 4, 2 };
	uint64_t deep[200];
	char full[CANISTER_RECORD_MAX + 1], buf[CANISTER_RECORD_MAX + 1] = "sentinel";
	int len;

	assert_int_equal(canister_format_container_id_record(NULL, 1, chain, 2, buf, sizeof(buf)),
			 -EINVAL);
	assert_string_equal(buf, "");
	bad_stamp.msec = 1000;
	assert_int_equal(
		canister_format_container_id_record(&bad_stamp, 1, chain, 2, buf, sizeof(buf)),
		-EINVAL);
	/* Records are numbered from 1, and a process outside containers gets no record. */
	assert_int_equal(
		canister_format_container_id_record(&event_stamp, 0, chain, 2, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(
		canister_format_container_id_record(&event_stamp, 1, chain, 0, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(
		canister_format_container_id_record(&event_stamp, 1, NULL, 2, buf, sizeof(buf)),
		-EINVAL);

	/* A chain too long for a record is refused whole. */
	for (size_t i = 0; i < sizeof(deep) / sizeof(deep[0]); i++)
		deep[i] = 18446744073709551614ULL;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(
		canister_format_container_id_record(&event_stamp, 1, deep, 200, buf, sizeof(buf)),
		-ENOSPC);
	assert_int_equal(buf[0], '\0');

	len = canister_format_container_id_record(&event_stamp, 1, chain, 2, full, sizeof(full));
	assert_true(len > 0);
	for (int size = 0; size <= len; size++) {
		memset(buf, 'X', sizeof(buf));
		assert_int_equal(canister_format_container_id_record(&event_stamp, 1, chain, 2, buf,
								     (size_t)size),
				 -ENOSPC);
		if (size)
			assert_int_equal(buf[0], '\0');
		assert_int_equal(buf[1], 'X');
	}
}

/* A kernel event as auditd logs it, stamped as event_stamp. */
static const char *const kernel_execve[] = {
	"type=SYSCALL msg=audit(1700000000.456:77): arch=c000003e syscall=59 success=yes exit=0 "
	"a0=55d0c3b2e2a0 a1=55d0c3b2e2c8 a2=55d0c3b2e2e0 a3=8 items=2 ppid=8700 pid=8731 auid=1000 "
	"uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"ls\" "
	"exe=\"/usr/bin/ls\" subj=unconfined key=(null)\n",
	"type=EXECVE msg=audit(1700000000.456:77): argc=2 a0=\"ls\" a1=\"-l\"\n",
	"type=CWD msg=audit(1700000000.456:77): cwd=\"/root\"\n",
	"type=PATH msg=audit(1700000000.456:77): item=0 name=\"/usr/bin/ls\" inode=1835017 "
	"dev=fe:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 "
	"cap_fe=0 cap_fver=0 cap_frootid=0\n",
	"type=PROCTITLE msg=audit(1700000000.456:77): proctitle=6C73002D6C\n",
};

/* The kernel's records of kill(8775, SIGKILL), then a CONTAINER_ID for each process named. */
static const char *const kernel_kill[] = {
	"type=SYSCALL msg=audit(1700000001.500:78): arch=c000003e syscall=62 success=yes exit=0 "
	"a0=2247 a1=9 a2=0 a3=7f4e2c1a2a80 items=0 ppid=8700 pid=8731 auid=1000 uid=0 gid=0 euid=0 "
	"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"kill\" exe=\"/usr/bin/kill\" "
	"subj=unconfined key=(null)\n",
	"type=OBJ_PID msg=audit(1700000001.500:78): opid=8775 oauid=1000 ouid=0 oses=3 "
	"obj=unconfined ocomm=\"sleep\"\n",
	"type=PROCTITLE msg=audit(1700000001.500:78): proctitle=6B696C6C002D390038373735\n",
	"type=CONTAINER_ID msg=audit(1700000001.500:78): record=1 contid=4,^2\n",
	"type=CONTAINER_ID msg=audit(1700000001.500:78): record=2 contid=9\n",
};

/* Writes the lines to a new temporary file, whose name goes to @path. */
static void write_log(char *path, size_t path_len, const char *const *lines, size_t count,
		      const char *last)
{
	FILE *f;
	int fd;

	snprintf(path, path_len, "%s/canister-audit-XXXXXX", getenv("TMPDIR") ?: "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (size_t i = 0; i < count; i++)
		assert_true(fputs(lines[i], f) >= 0);
	if (last)
		assert_true(fputs(last, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void test_container_id_is_read_with_its_event(void **state)
{
	const uint64_t chain[] = { 4, 2 };
	char record[CANISTER_RECORD_MAX + 1], path[256];
	auparse_state_t *au;

	assert_true(canister_format_container_id_record(&event_stamp, 1, chain, 2, record,
							sizeof(record)) > 0);
	/* Up to the PATH record: nothing in it ends the event for libauparse. */
	write_log(path, sizeof(path), kernel_execve, 4, record);
	au = auparse_init(AUSOURCE_FILE, path);
	assert_non_null(au);
	assert_int_equal(auparse_next_event(au), 1);
	assert_int_equal(auparse_get_time(au), 1700000000);
	assert_int_equal(auparse_get_milli(au), 456);
	assert_int_equal(auparse_get_serial(au), 77);
	assert_int_equal(auparse_get_num_records(au), 5);
	assert_int_equal(auparse_goto_record_num(au, 4), 1);
	assert_true(strncmp(auparse_get_record_text(au), "type=CONTAINER_ID ", 18) == 0);
	assert_string_equal(auparse_find_field(au, "record"), "1");
	assert_string_equal(auparse_find_field(au, "contid"), "4,^2");
	assert_int_equal(auparse_next_event(au), 0);
	auparse_destroy(au);
	unlink(path);
}

/*
 * libauparse (3.0.9) ends an event at its PROCTITLE record, which the kernel
 * writes last, and takes a record of a type it does not know for an event of
 * its own: a reader gets the CONTAINER_ID as the next event, with the same
 * stamp.  ausearch groups it with the event's records.
 */
static void test_container_id_after_proctitle(void **state)
{
	const uint64_t chain[] = { 4, 2 };
	char record[CANISTER_RECORD_MAX + 1], path[256];
	unsigned int kernel_records = 0;
	bool seen = false;
	auparse_state_t *au;

	assert_true(canister_format_container_id_record(&event_stamp, 1, chain, 2, record,
							sizeof(record)) > 0);
	write_log(path, sizeof(path), kernel_execve, 5, record);
	au = auparse_init(AUSOURCE_FILE, path);
	assert_non_null(au);
	while (auparse_next_event(au) > 0) {
		assert_false(seen);
		assert_int_equal(auparse_get_time(au), 1700000000);
		assert_int_equal(auparse_get_milli(au), 456);
		assert_int_equal(auparse_get_serial(au), 77);
		assert_int_equal(auparse_first_record(au), 1);
		do {
			if (strncmp(auparse_get_record_text(au), "type=CONTAINER_ID ", 18) == 0) {
				assert_string_equal(auparse_find_field(au, "contid"), "4,^2");
				seen = true;
			} else {
				kernel_records++;
			}
		} while (auparse_next_record(au) > 0);
	}
	assert_true(seen);
	assert_int_equal(kernel_records, 5);
	auparse_destroy(au);
	unlink(path);
}

/* Runs ausearch -i on @path: its exit status, and the number of events it printed. */
static int ausearch_events(const char *path, int *ret_events)
{
	char command[1024], line[4096], out[300];
	FILE *f;
	int status, events = 0;

	snprintf(out, sizeof(out), "%s.out", path);
	snprintf(command, sizeof(command), "/usr/sbin/ausearch -if '%s' -i >'%s' 2>&1", path, out);
	status = system(command);
	f = fopen(out, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strcmp(line, "----\n") == 0)
			events++;
		/* An unknown type's fields are shown as written. */
		if (strncmp(line, "type=CONTAINER_ID ", 18) == 0)
			assert_non_null(strstr(line, " contid="));
	}
	fclose(f);
	unlink(out);
	*ret_events = events;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_container_id_log_is_read_by_ausearch(void **state)
{
	const uint64_t chain[] = { 4, 2 };
	char record[CANISTER_RECORD_MAX + 1], path[256];
	const char *all[11];
	size_t count = 0;
	int events = 0;

	if (access("/usr/sbin/ausearch", X_OK) != 0) {
		print_message("ausearch not installed: the log is not checked with it here\n");
		return;
	}
	assert_true(canister_format_container_id_record(&event_stamp, 1, chain, 2, record,
							sizeof(record)) > 0);
	for (size_t i = 0; i < 5; i++)
		all[count++] = kernel_execve[i];
	all[count++] = record;
	for (size_t i = 0; i < 5; i++)
		all[count++] = kernel_kill[i];
	write_log(path, sizeof(path), all, count, NULL);
	/* Two events, each with its CONTAINER_ID records, and nothing ausearch refuses. */
	assert_int_equal(ausearch_events(path, &events), 0);
	assert_int_equal(events, 2);
	unlink(path);
}

/* An access decision: DESIGN.md's fields, the exe and target encoded, repeats only when some. */
static void test_access_record(void **unused)
{
	const uint64_t chain[] = { 4, 2 };
	struct canister_access_record rec = {
		.op = "exec",
		.chain = chain,
		.depth = 2,
		.by = 2,
		.pid = 8731,
		.exe = "/usr/bin/sh",
		.target = "/tmp/x y",
		.right = "execute",
		.cause = "not-granted",
		.mode = "enforce",
		.res = 0,
	};
	char buf[CANISTER_RECORD_MAX + 1];

	(void)unused;
	assert_true(canister_format_access_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "type=CONTAINER_ACCESS msg=audit(1700000000.456:77): op=exec "
				 "contid=4,^2 by=2 pid=8731 exe=\"/usr/bin/sh\" "
				 "target=2F746D702F782079 right=execute cause=not-granted "
				 "mode=enforce res=0\n");
	rec = (struct canister_access_record){
		.op = "bind",
		.chain = chain,
		.depth = 1,
		.by = 4,
		.target = "tcp:80",
		.right = "bind",
		.cause = "not-granted",
		.mode = "complain",
		.repeats = 3,
		.res = 1,
	};
	assert_true(canister_format_access_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "type=CONTAINER_ACCESS msg=audit(1700000000.456:77): op=bind "
				 "contid=4 by=4 target=\"tcp:80\" right=bind cause=not-granted "
				 "mode=complain repeats=3 res=1\n");
	/* A word that is not one, a missing target, a res that is neither: refused. */
	rec.mode = "Complain";
	assert_int_equal(canister_format_access_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
	rec.mode = "complain";
	rec.target = NULL;
	assert_int_equal(canister_format_access_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
	rec.target = "tcp:80";
	rec.res = 2;
	assert_int_equal(canister_format_access_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
}

/* A behaviour model's forensics entry: the optional fields left out, words checked. */
static void test_model_record(void **unused)
{
	const uint64_t chain[] = { 4, 2 };
	static const char hex[] =
		"51d1000000000000000000000000000000000000000000000000000000000001";
	struct canister_model_record rec = {
		.op = "exec",
		.chain = chain,
		.depth = 2,
		.pid = 8731,
		.exe = "/usr/bin/sh",
		.target = "/usr/bin/id",
		.event = "bprm_set_creds",
		.coefficient = hex,
		.mode = "enforce",
		.res = 0,
	};
	char buf[CANISTER_RECORD_MAX + 1];

	(void)unused;
	assert_true(canister_format_model_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
			    "type=CONTAINER_MODEL msg=audit(1700000000.456:77): op=exec "
			    "contid=4,^2 pid=8731 exe=\"/usr/bin/sh\" target=\"/usr/bin/id\" "
			    "event=bprm_set_creds coefficient=51d1000000000000000000000000000000"
			    "000000000000000000000000000001 mode=enforce res=0\n");
	rec = (struct canister_model_record){
		.op = "task_kill",
		.chain = chain,
		.depth = 1,
		.event = "task_kill",
		.coefficient = "none",
		.mode = "seal",
		.repeats = 2,
		.res = 1,
	};
	assert_true(canister_format_model_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "type=CONTAINER_MODEL msg=audit(1700000000.456:77): op=task_kill "
				 "contid=4 event=task_kill coefficient=none mode=seal repeats=2 "
				 "res=1\n");
	rec.mode = "Seal";
	assert_int_equal(canister_format_model_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
	rec.mode = "seal";
	rec.depth = 0;
	assert_int_equal(canister_format_model_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
}

/* IMA-audit's fields after the chain; a path with a space is encoded, as the kernel's file=. */
static void test_integrity_record(void **unused)
{
	const uint64_t chain[] = { 4, 2 };
	struct canister_integrity_record rec = {
		.op = "audit",
		.chain = chain,
		.depth = 2,
		.pid = 8731,
		.file = "/usr/bin/true",
		.hash = "sha256:4f00",
		.res = 1,
	};
	char buf[CANISTER_RECORD_MAX + 1], path[CANISTER_RECORD_MAX];

	assert_true(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "type=CONTAINER_INTEGRITY msg=audit(1700000000.456:77): op=audit "
				 "contid=4,^2 pid=8731 file=\"/usr/bin/true\" "
				 "hash=\"sha256:4f00\" res=1\n");
	/* A violation: IMA's INTEGRITY_PCR op= and cause=, no hash. */
	rec = (struct canister_integrity_record){
		.op = "invalid_pcr",
		.cause = "open_writers",
		.chain = chain,
		.depth = 2,
		.pid = 8731,
		.file = "/etc/passwd",
		.res = 1,
	};
	assert_true(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "type=CONTAINER_INTEGRITY msg=audit(1700000000.456:77): "
				 "op=invalid_pcr cause=open_writers contid=4,^2 pid=8731 "
				 "file=\"/etc/passwd\" res=1\n");
	rec.cause = "ToMToU";
	assert_true(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, " op=invalid_pcr cause=ToMToU contid=4,^2 "));
	rec.cause = "two words";
	assert_int_equal(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
	/* A failed appraisal: IMA's appraise_data cause words hold '-', and the mode is said. */
	rec = (struct canister_integrity_record){
		.op = "appraise_data",
		.cause = "IMA-signature-required",
		.chain = chain,
		.depth = 2,
		.pid = 8731,
		.file = "/bin/x",
		.reason = "no",
		.mode = "enforce",
		.res = 0,
	};
	assert_true(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "type=CONTAINER_INTEGRITY msg=audit(1700000000.456:77): "
				 "op=appraise_data cause=IMA-signature-required contid=4,^2 "
				 "pid=8731 file=\"/bin/x\" reason=\"no\" mode=enforce res=0\n");
	rec.mode = "en force";
	assert_int_equal(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
	rec = (struct canister_integrity_record){
		.op = "reload",
		.chain = chain,
		.depth = 1,
		.file = "/a b",
		.reason = "entry 2: truncated",
		.res = 0,
	};
	assert_true(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
			    "type=CONTAINER_INTEGRITY msg=audit(1700000000.456:77): op=reload "
			    "contid=4 file=2F612062 reason=656E74727920323A207472756E6361746564 "
			    "res=0\n");
	/* A path too long for one record is refused whole, never cut. */
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	rec.file = path;
	assert_int_equal(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -ENOSPC);
	assert_string_equal(buf, "");
	rec.file = "/x";
	rec.op = "two words";
	assert_int_equal(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
	rec.op = "audit";
	rec.depth = 0;
	assert_int_equal(canister_format_integrity_record(&event_stamp, &rec, buf, sizeof(buf)),
			 -EINVAL);
}

static void test_lost_record(void **unused)
{
	struct canister_record_stamp when = { .sec = 1700000000, .msec = 456, .serial = 0 };
	char buf[CANISTER_RECORD_MAX];
	int len = canister_format_lost_record(&when, 4, 12, CANISTER_LOST_QUEUE_FULL, buf,
					      sizeof(buf));

	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "type=CONTAINER_LOST msg=audit(1700000000.456:0): sink=4 lost=12 "
				 "reason=queue_full\n");
	canister_format_lost_record(&when, 0, 3, CANISTER_LOST_DISK_FULL, buf, sizeof(buf));
	assert_string_equal(buf,
			    "type=CONTAINER_LOST msg=audit(1700000000.456:0): sink=host lost=3 "
			    "reason=disk_full\n");
	assert_int_equal(
		canister_format_lost_record(&when, 4, 0, CANISTER_LOST_DISK_FULL, buf, sizeof(buf)),
		-EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(canister_format_lost_record(&when, 4, 1, (enum canister_lost_reason)7, buf,
						     sizeof(buf)),
			 -EINVAL);
	assert_int_equal(canister_format_lost_record(&when, 4, 1, CANISTER_LOST_DISK_FULL, buf, 20),
			 -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_printable_is_quoted),
		cmocka_unit_test(test_encode_hex_for_space_quote_control_and_non_ascii),
		cmocka_unit_test(test_encode_empty_and_null),
		cmocka_unit_test(test_encode_too_small),
		cmocka_unit_test(test_chain_formats),
		cmocka_unit_test(test_chain_errors),
		cmocka_unit_test(test_integrity_record),
		cmocka_unit_test(test_access_record),
		cmocka_unit_test(test_model_record),
		cmocka_unit_test(test_op_set),
		cmocka_unit_test(test_op_set_refused),
		cmocka_unit_test(test_op_join_and_drop),
		cmocka_unit_test(test_op_delegate),
		cmocka_unit_test(test_op_guard),
		cmocka_unit_test(test_op_invalid),
		cmocka_unit_test(test_op_too_small_leaves_no_partial_record),
		cmocka_unit_test(test_op_record_max_bounds_any_buffer),
		cmocka_unit_test(test_ns_names),
		cmocka_unit_test(test_ns_register),
		cmocka_unit_test(test_ns_change_lists_only_what_changed),
		cmocka_unit_test(test_ns_change_nothing_changed),
		cmocka_unit_test(test_ns_invalid_and_too_small),
		cmocka_unit_test(test_ns_read_self),
		cmocka_unit_test(test_ns_read_missing_and_exited),
		cmocka_unit_test(test_stamp_now),
		cmocka_unit_test(test_stamp_from_ktime),
		cmocka_unit_test(test_container_id_record),
		cmocka_unit_test(test_container_id_invalid_and_too_small),
		cmocka_unit_test(test_container_id_is_read_with_its_event),
		cmocka_unit_test(test_container_id_after_proctitle),
		cmocka_unit_test(test_container_id_log_is_read_by_ausearch),
		cmocka_unit_test(test_lost_record),
	};

	return cmocka_run_group_tests_name("audit_record", tests, NULL, NULL);
}
