// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the access policies' decision on a file the gate holds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/gate_decide.h"

#include <fcntl.h>
#include <string.h>

#define EXEC CANISTER_ACCESS_FS_EXECUTE
#define READ CANISTER_ACCESS_FS_READ
#define WRITE CANISTER_ACCESS_FS_WRITE

static struct canister_access_policy *parse_ok(const char *text)
{
	struct canister_access_policy *policy = NULL;
	char why[512] = "";

	if (canister_access_policy_parse(text, strlen(text), "test.policy", &policy, why,
					 sizeof(why)) != 0)
		fail_msg("policy refused: %s", why);
	return policy;
}

static struct access_gate_verdict decide(const struct access_gate_level *levels, unsigned int count,
					 uint32_t rights, const char *path)
{
	struct access_gate_verdict verdict;

	access_gate_decide(levels, count, rights, path, strlen(path), &verdict);
	return verdict;
}

/* An open's rights: from its flags when known, else from whether anyone writes the file. */
static void test_open_rights(void **state)
{
	(void)state;
	assert_int_equal(access_gate_open_rights(1, true, O_RDONLY), READ);
	assert_int_equal(access_gate_open_rights(1, true, O_WRONLY | O_APPEND), WRITE);
	assert_int_equal(access_gate_open_rights(0, true, O_RDWR), READ | WRITE);
	/* O_ACCMODE: the kernel checks read and write permission. */
	assert_int_equal(access_gate_open_rights(0, true, O_ACCMODE), READ | WRITE);
	/* A read-only open that truncates writes, with no write access taken. */
	assert_int_equal(access_gate_open_rights(0, true, O_RDONLY | O_TRUNC), READ | WRITE);
	assert_int_equal(access_gate_open_rights(1, true, O_CREAT | O_WRONLY | O_TRUNC), WRITE);
	/* Unknown flags: nobody writes the file, so the opener reads; else both, erring closed. */
	assert_int_equal(access_gate_open_rights(0, false, 0), READ);
	assert_int_equal(access_gate_open_rights(1, false, 0), READ | WRITE);
	assert_int_equal(access_gate_open_rights(-22, false, 0), READ | WRITE);
}

/* no-exec-tmp: execution refused beneath /tmp and nowhere else; reads not handled. */
static void test_exec_tmp(void **state)
{
	struct canister_access_policy *policy = parse_ok("fs handle execute\n"
							 "fs allow execute beneath /\n"
							 "fs deny execute beneath /tmp\n");
	struct access_gate_level level = { .contid = 7, .policy = policy, .enforce = true };
	struct access_gate_verdict v;

	(void)state;
	v = decide(&level, 1, EXEC, "/tmp/x/prog");
	assert_true(v.refused);
	assert_true(v.enforce);
	assert_int_equal(v.by, 7);
	assert_int_equal(v.right, EXEC);
	assert_false(decide(&level, 1, EXEC, "/usr/bin/true").refused);
	/* A sibling whose name starts with "tmp" is not beneath /tmp. */
	assert_false(decide(&level, 1, EXEC, "/tmpfoo/prog").refused);
	assert_false(decide(&level, 1, READ | WRITE, "/tmp/x/prog").refused);
	/* A path canisterd could not read ("?") is beneath no rule: refused where handled. */
	assert_true(decide(&level, 1, EXEC, "?").refused);
	level.enforce = false;
	v = decide(&level, 1, EXEC, "/tmp/prog");
	assert_true(v.refused);
	assert_false(v.enforce);
	canister_access_policy_free(policy);
}

/*
 * A child that tries to widen is still bound by its parent; an enforcing
 * level's refusal wins over a complaining one's, whichever comes first.
 */
static void test_chain(void **state)
{
	struct canister_access_policy *parent = parse_ok("fs handle execute,read,write\n"
							 "fs allow execute,read,write beneath /\n"
							 "fs deny execute beneath /tmp\n"
							 "fs deny write beneath /etc\n");
	struct canister_access_policy *child = parse_ok("fs handle execute,read\n"
							"fs allow execute,read beneath /\n"
							"fs deny read beneath /etc/secret\n");
	struct access_gate_level levels[] = {
		{ .contid = 12, .policy = child, .enforce = false },
		{ .contid = 11, .policy = parent, .enforce = true },
	};
	struct access_gate_verdict v, w;

	(void)state;
	v = decide(levels, 2, EXEC, "/tmp/prog");
	assert_true(v.refused && v.enforce);
	assert_int_equal(v.by, 11);
	/* The child complains of the read; the parent lets it: allowed, recorded. */
	v = decide(levels, 2, READ, "/etc/secret/key");
	assert_true(v.refused);
	assert_false(v.enforce);
	assert_int_equal(v.by, 12);
	/* Read complained by the child, write denied by the parent: the denial is the verdict. */
	v = decide(levels, 2, READ | WRITE, "/etc/secret/key");
	assert_true(v.refused && v.enforce);
	assert_int_equal(v.by, 11);
	assert_int_equal(v.right, WRITE);
	/* Merged the same way from two decisions. */
	v = decide(levels, 2, READ, "/etc/secret/key");
	w = decide(levels, 2, WRITE, "/etc/secret/key");
	access_gate_merge(&v, &w);
	assert_true(v.enforce);
	assert_int_equal(v.right, WRITE);
	w = decide(levels, 2, READ, "/etc/secret/key");
	access_gate_merge(&v, &w);
	assert_int_equal(v.right, WRITE);
	assert_false(decide(levels, 2, READ | WRITE | EXEC, "/srv/data").refused);
	/* No level: nothing refused. */
	assert_false(decide(levels, 0, EXEC, "/tmp/prog").refused);
	canister_access_policy_free(child);
	canister_access_policy_free(parent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_rights),
		cmocka_unit_test(test_exec_tmp),
		cmocka_unit_test(test_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
