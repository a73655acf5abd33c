// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: who may register which process, and which errno each refusal carries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/registry.h"

#include <canister/abi.h>
#include <errno.h>
#include <string.h>

#define CALLER_TGID 100
#define TARGET_TGID 200
#define CONTID 42

/* An orchestrator with CAP_AUDIT_CONTROL labelling a child it has just forked. */
static const struct canister_caller good_caller = {
	.tgid = CALLER_TGID,
	.cap_audit_control = true,
	.in_container = false,
};
static const struct canister_target good_target = {
	.exists = true,
	.tgid = TARGET_TGID,
	.has_children = false,
	.in_container = false,
};

static int check(const struct canister_caller *caller, const struct canister_target *target,
		 uint64_t contid, char *why, size_t why_len)
{
	return canister_registry_check_set(caller, target, contid, why, why_len);
}

static void test_allows_privileged_caller_and_fresh_child(void **state)
{
	char why[128];

	assert_int_equal(check(&good_caller, &good_target, CONTID, why, sizeof(why)), 0);
	/* 0 and 2^64-2 are ordinary contids; only 2^64-1 is reserved. */
	assert_int_equal(check(&good_caller, &good_target, 0, why, sizeof(why)), 0);
	assert_int_equal(check(&good_caller, &good_target, UINT64_MAX - 1, why, sizeof(why)), 0);
}

static void test_refuses_unset_contid(void **state)
{
	char why[128] = "";

	assert_int_equal(check(&good_caller, &good_target, CANISTER_CONTID_UNSET, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "unset"));
}

static void test_refuses_caller_without_cap_audit_control(void **state)
{
	struct canister_caller caller = good_caller;
	char why[128] = "";

	caller.cap_audit_control = false;
	assert_int_equal(check(&caller, &good_target, CONTID, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "CAP_AUDIT_CONTROL"));
	assert_non_null(strstr(why, "pid 100"));
}

/* Holding the capability does not help a caller that is itself labelled. */
static void test_refuses_caller_inside_container(void **state)
{
	struct canister_caller caller = good_caller;
	char why[128] = "";

	caller.in_container = true;
	assert_int_equal(check(&caller, &good_target, CONTID, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "inside a container"));
}

static void test_refuses_missing_target(void **state)
{
	struct canister_target target = good_target;
	char why[128] = "";

	target.exists = false;
	assert_int_equal(check(&good_caller, &target, CONTID, why, sizeof(why)), -ESRCH);
	assert_non_null(strstr(why, "200"));
}

static void test_refuses_caller_registering_itself(void **state)
{
	struct canister_target target = good_target;
	char why[128] = "";

	target.tgid = CALLER_TGID;
	assert_int_equal(check(&good_caller, &target, CONTID, why, sizeof(why)), -EXDEV);
	assert_non_null(strstr(why, "caller itself"));
}

static void test_refuses_target_already_labelled(void **state)
{
	struct canister_target target = good_target;
	char why[128] = "";

	target.in_container = true;
	target.contid = 9007199254740993ULL;
	assert_int_equal(check(&good_caller, &target, CONTID, why, sizeof(why)), -EEXIST);
	/* The operator needs to know which container already holds it. */
	assert_non_null(strstr(why, "9007199254740993"));
}

static void test_refuses_target_with_children(void **state)
{
	struct canister_target target = good_target;
	char why[128] = "";

	target.has_children = true;
	assert_int_equal(check(&good_caller, &target, CONTID, why, sizeof(why)), -EBUSY);
	assert_non_null(strstr(why, "children"));
}

/* One way to break each rule, in the documented order of the errnos. */
enum rule {
	RULE_UNSET_CONTID,
	RULE_CALLER_IN_CONTAINER,
	RULE_CALLER_WITHOUT_CAP,
	RULE_NO_TARGET,
	RULE_TARGET_IS_CALLER,
	RULE_TARGET_LABELLED,
	RULE_TARGET_HAS_CHILDREN,
	RULE_COUNT,
};

static const int rule_errno[RULE_COUNT] = {
	[RULE_UNSET_CONTID] = -EINVAL,	     [RULE_CALLER_IN_CONTAINER] = -EPERM,
	[RULE_CALLER_WITHOUT_CAP] = -EPERM,  [RULE_NO_TARGET] = -ESRCH,
	[RULE_TARGET_IS_CALLER] = -EXDEV,    [RULE_TARGET_LABELLED] = -EEXIST,
	[RULE_TARGET_HAS_CHILDREN] = -EBUSY,
};

static int check_breaking(unsigned broken)
{
	struct canister_caller caller = good_caller;
	struct canister_target target = good_target;
	uint64_t contid = CONTID;

	if (broken & (1u << RULE_UNSET_CONTID))
		contid = CANISTER_CONTID_UNSET;
	if (broken & (1u << RULE_CALLER_IN_CONTAINER))
		caller.in_container = true;
	if (broken & (1u << RULE_CALLER_WITHOUT_CAP))
		caller.cap_audit_control = false;
	if (broken & (1u << RULE_NO_TARGET))
		target.exists = false;
	if (broken & (1u << RULE_TARGET_IS_CALLER))
		target.tgid = caller.tgid;
	if (broken & (1u << RULE_TARGET_LABELLED))
		target.in_container = true;
	if (broken & (1u << RULE_TARGET_HAS_CHILDREN))
		target.has_children = true;
	return check(&caller, &target, contid, NULL, 0);
}

/*
 * The daemon and its users rely on the order: a request that breaks several
 * rules always reports the first.  Every combination is tried.
 */
static void test_errno_order_when_several_rules_fail(void **state)
{
	for (unsigned broken = 1; broken < (1u << RULE_COUNT); broken++) {
		int first = __builtin_ctz(broken);
		int r = check_breaking(broken);

		if (r != rule_errno[first])
			fail_msg("rules 0x%02x broken: got %d, expected %d (rule %d)", broken, r,
				 rule_errno[first], first);
	}
	assert_int_equal(check_breaking(0), 0);
}

/* The reason travels in a one-line reply and into logs. */
static void test_reason_is_one_line_and_bounded(void **state)
{
	for (int rule = 0; rule < RULE_COUNT; rule++) {
		struct canister_caller caller = good_caller;
		struct canister_target target = good_target;
		char why[16];

		memset(why, 'x', sizeof(why));
		caller.in_container = rule == RULE_CALLER_IN_CONTAINER;
		caller.cap_audit_control = rule != RULE_CALLER_WITHOUT_CAP;
		target.exists = rule != RULE_NO_TARGET;
		target.tgid = rule == RULE_TARGET_IS_CALLER ? CALLER_TGID : TARGET_TGID;
		target.in_container = rule == RULE_TARGET_LABELLED;
		target.has_children = rule == RULE_TARGET_HAS_CHILDREN;
		assert_int_equal(check(&caller, &target,
				       rule == RULE_UNSET_CONTID ? CANISTER_CONTID_UNSET : CONTID,
				       why, sizeof(why)),
				 rule_errno[rule]);
		assert_non_null(memchr(why, '\0', sizeof(why)));
		assert_true(strlen(why) > 0);
		assert_null(strchr(why, '\n'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allows_privileged_caller_and_fresh_child),
		cmocka_unit_test(test_refuses_unset_contid),
		cmocka_unit_test(test_refuses_caller_without_cap_audit_control),
		cmocka_unit_test(test_refuses_caller_inside_container),
		cmocka_unit_test(test_refuses_missing_target),
		cmocka_unit_test(test_refuses_caller_registering_itself),
		cmocka_unit_test(test_refuses_target_already_labelled),
		cmocka_unit_test(test_refuses_target_with_children),
		cmocka_unit_test(test_errno_order_when_several_rules_fail),
		cmocka_unit_test(test_reason_is_one_line_and_bounded),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
