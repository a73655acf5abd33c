// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: which audit records `canister log N` prints for container N. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/audit_record.h"
#include "lib/record_match.h"

#include <canister/abi.h>
#include <string.h>

#define ANY CANISTER_CONTID_UNSET

static bool matches(const char *line, uint64_t contid)
{
	return canister_record_matches(line, strlen(line), contid);
}

static const char set_record[] = "type=CONTAINER_OP msg=audit(1700000000.123:42): op=set "
				 "opid=8730 contid=4 old-contid=-1 name=\"web-1\" auid=0 uid=0 "
				 "ses=1 res=1";
static const char drop_record[] =
	"type=CONTAINER_OP msg=audit(1700000009.000:90): op=drop opid=8730 contid=-1 "
	"old-contid=4 res=1";
static const char nested_ns_record[] = "type=CONTAINER_NS msg=audit(1700000001.000:50): "
				       "op=register opid=8800 contid=7,^4,^2 mnt=4026531841 res=1";
static const char id_record[] = "type=CONTAINER_ID msg=audit(1700000002.000:77): record=1 "
				"contid=7,^4,^2";

static void test_container_itself(void **state)
{
	assert_true(matches(set_record, 4));
	assert_true(matches(nested_ns_record, 7));
	assert_true(matches(id_record, 7));
	assert_false(matches(set_record, 7));
}

/* The drop record has no contid left; old-contid says whose it is. */
static void test_drop_belongs_by_old_contid(void **state)
{
	assert_true(matches(drop_record, 4));
	assert_false(matches(drop_record, 1));
}

/* A nested container's records belong to each ancestor too, not the other way round. */
static void test_ancestors_see_nested_records(void **state)
{
	assert_true(matches(nested_ns_record, 4));
	assert_true(matches(nested_ns_record, 2));
	assert_true(matches(id_record, 2));
	assert_false(matches(set_record, 2));
	assert_false(matches(nested_ns_record, 3));
}

/* Whole numbers only: container 4 is not container 42, 14 or 40. */
static void test_numbers_match_whole(void **state)
{
	assert_false(matches(set_record, 42));
	assert_false(
		matches("type=CONTAINER_OP msg=audit(1.0:1): op=set contid=42 old-contid=-1", 4));
	assert_false(matches("type=CONTAINER_OP msg=audit(1.0:1): op=set contid=14,^40", 4));
	assert_true(
		matches("type=CONTAINER_OP msg=audit(1.0:1): op=set contid=18446744073709551614",
			UINT64_MAX - 1));
	assert_false(matches("type=X msg=audit(1.0:1): contid=18446744073709551616", 0));
}

/* Keys match whole: a field whose name ends in "contid" is not contid. */
static void test_keys_match_whole(void **state)
{
	assert_false(matches("type=X msg=audit(1.0:1): parent-contid=4 xcontid=4 contid4=4", 4));
	assert_false(matches("type=X msg=audit(1.0:1): contid:4", 4));
}

/* A value in quotes is data (a command line, a path), never a field. */
static void test_quoted_values_hide_nothing(void **state)
{
	static const char record[] = "type=CONTAINER_OP msg=audit(1.0:1): op=set contid=9 "
				     "cmd=\"sh -c contid=4\" name=\"contid=4\" res=1";

	assert_false(matches(record, 4));
	assert_true(matches(record, 9));
	assert_false(matches("type=X msg=audit(1.0:1): contid=\"4\"", 4));
	/* An unclosed quote swallows the rest of the line rather than exposing it. */
	assert_false(matches("type=X msg=audit(1.0:1): cmd=\"a contid=4", 4));
}

/* A user-space record wraps its fields in msg='...'; they count as the kernel's own would. */
static void test_user_record_msg_fields(void **state)
{
	static const char record[] = "type=CONTAINER_OP msg=audit(1700000000.123:42): pid=1 uid=0 "
				     "auid=4294967295 ses=4294967295 msg='op=set opid=8730 "
				     "contid=4,^2 old-contid=-1 res=1'";

	assert_true(matches(record, 4));
	assert_true(matches(record, 2));
	assert_false(matches(record, 8730));
}

/* ausearch -i's enriched format appends fields after a 0x1d. */
static void test_enriched_format(void **state)
{
	assert_true(matches("type=CONTAINER_ID msg=audit(1.0:1): record=1 contid=4\x1d"
			    "AUID=\"root\"",
			    4));
	assert_true(matches("type=CONTAINER_ID msg=audit(1.0:1): record=1\x1d"
			    "contid=4",
			    4));
}

/* Without N, every record of some container, and nothing else. */
static void test_any_container(void **state)
{
	assert_true(matches(set_record, ANY));
	assert_true(matches(drop_record, ANY));
	assert_true(matches(id_record, ANY));
	assert_false(matches("type=DAEMON_START msg=audit(1.0:1): op=start res=1", ANY));
	assert_false(
		matches("type=CONTAINER_OP msg=audit(1.0:1): op=x contid=-1 old-contid=-1", ANY));
	assert_false(matches("", ANY));
}

/* Chains that are not canister's are not read past their first flaw. */
static void test_malformed_chains(void **state)
{
	static const char *const records[] = {
		"type=X msg=audit(1.0:1): contid=",
		"type=X msg=audit(1.0:1): contid=,^4",
		"type=X msg=audit(1.0:1): contid=x,^4",
		"type=X msg=audit(1.0:1): contid=7,4",
		"type=X msg=audit(1.0:1): contid=7,,^4",
		"type=X msg=audit(1.0:1): contid=7,^x,^4",
		"type=X msg=audit(1.0:1): contid=7,^-1,^4",
		"type=X msg=audit(1.0:1): contid=-4",
		"type=X msg=audit(1.0:1): contid=+4",
		"type=X msg=audit(1.0:1): contid=0x4",
		"type=X msg=audit(1.0:1): contid=^4",
	};

	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (matches(records[i], 4))
			fail_msg("%s matched container 4", records[i]);
	/* What came before the flaw was well formed and stands. */
	assert_true(matches("type=X msg=audit(1.0:1): contid=4,^x", 4));
	assert_true(matches("type=X msg=audit(1.0:1): contid=7,^4,", 4));
}

/* The length bounds the line: no terminating NUL is needed, nothing after it is read. */
static void test_length_bounds_the_line(void **state)
{
	static const char line[] = "type=X msg=audit(1.0:1): contid=4 old-contid=5";

	assert_true(canister_record_matches(line, strlen(line), 5));
	assert_false(canister_record_matches(line, strlen(line) - strlen(" old-contid=5"), 5));
	/* "contid=4" cut to "contid=" is no longer container 4; "contid=45" cut is. */
	assert_false(canister_record_matches(line, strlen("type=X msg=audit(1.0:1): contid="), 4));
	assert_true(canister_record_matches("contid=45", 8, 4));
	assert_false(canister_record_matches(line, 0, ANY));
}

/* The records canisterd writes, as its own formatter makes them, are read back by owner. */
static void test_records_canister_writes(void **state)
{
	static const uint64_t chain[] = { 7, 4 };
	const struct canister_record_stamp stamp = { .sec = 1700000000, .msec = 123, .serial = 42 };
	struct canister_op_record set = { .op = CANISTER_CONTAINER_OP_SET,
					  .opid = 8730,
					  .contid = 7,
					  .old_contid = CANISTER_CONTID_UNSET,
					  .name = "web 1",
					  .res = 1 };
	struct canister_op_record drop = { .op = CANISTER_CONTAINER_OP_DROP,
					   .opid = 8730,
					   .contid = CANISTER_CONTID_UNSET,
					   .old_contid = 7,
					   .res = 1 };
	struct canister_ns_set ns = { .inum = { [CANISTER_NS_MNT] = 4026531841 } };
	char buf[CANISTER_RECORD_MAX];
	int len;

	len = canister_format_op_record(&stamp, &set, buf, sizeof(buf));
	assert_true(len > 0);
	assert_true(canister_record_matches(buf, len, 7));
	assert_false(canister_record_matches(buf, len, 4));
	len = canister_format_op_record(&stamp, &drop, buf, sizeof(buf));
	assert_true(len > 0);
	assert_true(canister_record_matches(buf, len, 7));
	assert_true(canister_record_matches(buf, len, ANY));
	len = canister_format_ns_record(&stamp, "register", 8730, chain, 2, &ns, buf, sizeof(buf));
	assert_true(len > 0);
	assert_true(canister_record_matches(buf, len, 7));
	assert_true(canister_record_matches(buf, len, 4));
	assert_false(canister_record_matches(buf, len, 8730));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container_itself),
		cmocka_unit_test(test_drop_belongs_by_old_contid),
		cmocka_unit_test(test_ancestors_see_nested_records),
		cmocka_unit_test(test_numbers_match_whole),
		cmocka_unit_test(test_keys_match_whole),
		cmocka_unit_test(test_quoted_values_hide_nothing),
		cmocka_unit_test(test_user_record_msg_fields),
		cmocka_unit_test(test_enriched_format),
		cmocka_unit_test(test_any_container),
		cmocka_unit_test(test_malformed_chains),
		cmocka_unit_test(test_length_bounds_the_line),
		cmocka_unit_test(test_records_canister_writes),
	};

	return cmocka_run_group_tests_name("record_match", tests, NULL, NULL);
}
