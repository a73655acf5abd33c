// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: who may register which process, and which errno each refusal carries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "identity/registry.h"

#include <canister/abi.h>
#include <canister/canister.h>
#include <errno.h>
#include <string.h>

#define CALLER_TGID 100
#define TARGET_TGID 200
#define CONTID 42
#define OUTER 2
#define DELEGATION 7
#define LIMIT CANISTER_NEST_LIMIT_DEFAULT

/* A host orchestrator with CAP_AUDIT_CONTROL labelling a child it has just forked. */
static const struct canister_caller host = {
	.tgid = CALLER_TGID,
	.cap_audit_control = true,
	.contid = CANISTER_CONTID_UNSET,
};
static const struct canister_target fresh = {
	.exists = true,
	.tgid = TARGET_TGID,
	.contid = CANISTER_CONTID_UNSET,
};
/* An orchestrator inside container 2, delegated, and a child of its in container 2. */
static const struct canister_caller nested_orchestrator = {
	.tgid = CALLER_TGID,
	.contid = OUTER,
	.delegation = DELEGATION,
	.depth = 1,
};
static const struct canister_target nested_child = {
	.exists = true,
	.tgid = TARGET_TGID,
	.contid = OUTER,
	.delegation = DELEGATION,
	.depth = 1,
};
static const struct canister_existing none = { .exists = false };

struct outcome {
	int r;
	char why[256];
	struct canister_registration reg;
};

static struct outcome check(const struct canister_caller *caller,
			    const struct canister_target *target, uint64_t contid, const char *name,
			    const struct canister_existing *existing)
{
	struct outcome out = { 0 };

	out.r = canister_registry_check_set(caller, target, contid, name, existing, LIMIT, &out.reg,
					    out.why, sizeof(out.why));
	return out;
}

static void test_host_registers_fresh_child(void **state)
{
	struct outcome out = check(&host, &fresh, CONTID, "web-1", &none);

	assert_int_equal(out.r, 0);
	assert_false(out.reg.join);
	assert_true(out.reg.parent == CANISTER_CONTID_UNSET);
	assert_int_equal(out.reg.depth, 1);
	assert_int_equal(out.reg.owner, 0);
	/* 0 and 2^64-2 are ordinary contids; only 2^64-1 is reserved. */
	assert_int_equal(check(&host, &fresh, 0, NULL, &none).r, 0);
	assert_int_equal(check(&host, &fresh, UINT64_MAX - 1, NULL, &none).r, 0);
}

static void test_einval_unset_contid_and_bad_name(void **state)
{
	struct outcome out = check(&host, &fresh, CANISTER_CONTID_UNSET, NULL, &none);

	assert_int_equal(out.r, -EINVAL);
	assert_non_null(strstr(out.why, "unset"));
	out = check(&host, &fresh, CONTID, "has space", &none);
	assert_int_equal(out.r, -EINVAL);
	assert_non_null(strstr(out.why, "name"));
	out = check(&host, &fresh, CONTID, "", &none);
	assert_int_equal(out.r, -EINVAL);
}

static void test_eperm_without_authority(void **state)
{
	struct canister_caller caller = host;
	struct outcome out;

	caller.cap_audit_control = false;
	out = check(&caller, &fresh, CONTID, NULL, &none);
	assert_int_equal(out.r, -EPERM);
	assert_non_null(strstr(out.why, "CAP_AUDIT_CONTROL"));

	/* CAP_AUDIT_CONTROL inside a container is not the host's. */
	caller = host;
	caller.contid = OUTER;
	caller.depth = 1;
	out = check(&caller, &nested_child, CONTID, NULL, &none);
	assert_int_equal(out.r, -EPERM);
	assert_non_null(strstr(out.why, "inside container 2"));
}

static void test_eperm_comes_before_esrch(void **state)
{
	struct canister_caller caller = host;
	struct canister_target gone = fresh;

	caller.cap_audit_control = false;
	gone.exists = false;
	/* An unprivileged caller learns nothing about which pids exist. */
	assert_int_equal(check(&caller, &gone, CONTID, NULL, &none).r, -EPERM);
}

static void test_esrch_missing_target(void **state)
{
	struct canister_target gone = fresh;
	struct outcome out;

	gone.exists = false;
	out = check(&host, &gone, CONTID, NULL, &none);
	assert_int_equal(out.r, -ESRCH);
	assert_non_null(strstr(out.why, "200"));
}

static void test_exdev_self_and_foreign_process(void **state)
{
	struct canister_target self = fresh;
	struct canister_target stranger = nested_child;
	struct outcome out;

	self.tgid = CALLER_TGID;
	out = check(&host, &self, CONTID, NULL, &none);
	assert_int_equal(out.r, -EXDEV);
	assert_non_null(strstr(out.why, "caller itself"));

	/* A delegate may only register what descends from it (carries its delegation). */
	stranger.delegation = 0;
	out = check(&nested_orchestrator, &stranger, CONTID, NULL, &none);
	assert_int_equal(out.r, -EXDEV);
	assert_non_null(strstr(out.why, "not a descendant"));
	stranger.delegation = DELEGATION + 1;
	assert_int_equal(check(&nested_orchestrator, &stranger, CONTID, NULL, &none).r, -EXDEV);
}

static void test_eexist_labelled_target(void **state)
{
	struct canister_target labelled = fresh;
	struct outcome out;

	labelled.contid = 9;
	labelled.depth = 1;
	/* The host's target is in a container: not a nested registration. */
	out = check(&host, &labelled, CONTID, NULL, &none);
	assert_int_equal(out.r, -EEXIST);
	assert_non_null(strstr(out.why, "container 9"));
	/* Already in the very container asked for. */
	labelled.contid = CONTID;
	assert_int_equal(check(&host, &labelled, CONTID, NULL, &none).r, -EEXIST);
}

static void test_nested_registration(void **state)
{
	struct outcome out = check(&nested_orchestrator, &nested_child, 4, "inner", &none);

	assert_int_equal(out.r, 0);
	assert_false(out.reg.join);
	assert_true(out.reg.parent == OUTER);
	assert_int_equal(out.reg.depth, 2);
	assert_int_equal(out.reg.owner, DELEGATION);
}

static void test_delegate_outside_containers(void **state)
{
	/* A rootless orchestrator: no CAP_AUDIT_CONTROL of the host, but a delegation. */
	struct canister_caller rootless = nested_orchestrator;
	struct canister_target child = nested_child;
	struct outcome out;

	rootless.contid = CANISTER_CONTID_UNSET;
	rootless.depth = 0;
	child.contid = CANISTER_CONTID_UNSET;
	child.depth = 0;
	out = check(&rootless, &child, CONTID, NULL, &none);
	assert_int_equal(out.r, 0);
	assert_int_equal(out.reg.depth, 1);
	assert_int_equal(out.reg.owner, DELEGATION);
}

static void test_emlink_beyond_limit(void **state)
{
	struct canister_caller caller = nested_orchestrator;
	struct canister_target child = nested_child;
	struct outcome out;

	caller.depth = LIMIT - 1;
	child.depth = LIMIT - 1;
	assert_int_equal(check(&caller, &child, 4, NULL, &none).r, 0);
	caller.depth = LIMIT;
	child.depth = LIMIT;
	out = check(&caller, &child, 4, NULL, &none);
	assert_int_equal(out.r, -EMLINK);
	assert_non_null(strstr(out.why, "limit"));
	/* The limit is the caller's to configure, up to CANISTER_NEST_LIMIT_MAX. */
	assert_int_equal(canister_registry_check_set(&caller, &child, 4, NULL, &none, LIMIT + 1,
						     &out.reg, out.why, sizeof(out.why)),
			 0);
}

static void test_join_by_owner(void **state)
{
	struct canister_existing live = {
		.exists = true,
		.parent = CANISTER_CONTID_UNSET,
		.depth = 1,
		.owner = 0,
		.name = "web-1",
	};
	struct outcome out = check(&host, &fresh, CONTID, NULL, &live);

	assert_int_equal(out.r, 0);
	assert_true(out.reg.join);
	assert_int_equal(out.reg.depth, 1);
	/* Giving the same name again is fine. */
	assert_int_equal(check(&host, &fresh, CONTID, "web-1", &live).r, 0);
}

static void test_enotuniq(void **state)
{
	struct canister_existing live = {
		.exists = true,
		.parent = CANISTER_CONTID_UNSET,
		.depth = 1,
		.owner = DELEGATION,
		.name = "theirs",
	};
	struct outcome out = check(&host, &fresh, CONTID, NULL, &live);

	/* Owned by a delegated orchestrator: the host may not add to it. */
	assert_int_equal(out.r, -ENOTUNIQ);
	assert_non_null(strstr(out.why, "another orchestrator"));

	/* Owned by the host but bound to another name. */
	live.owner = 0;
	out = check(&host, &fresh, CONTID, "mine", &live);
	assert_int_equal(out.r, -ENOTUNIQ);
	assert_non_null(strstr(out.why, "\"theirs\""));

	/* A name given to a contid registered without one is a name it is not bound to. */
	live.name = "";
	out = check(&host, &fresh, CONTID, "mine", &live);
	assert_int_equal(out.r, -ENOTUNIQ);
	assert_string_equal(out.why, "contid 42 was registered without a name");
	live.name = "theirs";

	/* A delegate may not take over the host's contid. */
	live.owner = 0;
	live.parent = OUTER;
	live.depth = 2;
	assert_int_equal(check(&nested_orchestrator, &nested_child, CONTID, NULL, &live).r,
			 -ENOTUNIQ);
}

static void test_ebusy_is_last(void **state)
{
	struct canister_target parent = fresh;
	struct outcome out;

	parent.has_children = true;
	out = check(&host, &parent, CONTID, NULL, &none);
	assert_int_equal(out.r, -EBUSY);
	assert_non_null(strstr(out.why, "children"));
	/* Anything else wrong is reported first. */
	parent.contid = 9;
	assert_int_equal(check(&host, &parent, CONTID, NULL, &none).r, -EEXIST);
}

static void test_delegate_rules(void **state)
{
	struct canister_target target = fresh;
	char why[256] = "";

	assert_int_equal(canister_registry_check_delegate(&host, &target, why, sizeof(why)), 0);
	assert_int_equal(
		canister_registry_check_delegate(&nested_orchestrator, &target, why, sizeof(why)),
		-EPERM);
	assert_non_null(strstr(why, "only the host"));
	target.delegation = 3;
	assert_int_equal(canister_registry_check_delegate(&host, &target, why, sizeof(why)),
			 -EEXIST);
	target.exists = false;
	assert_int_equal(canister_registry_check_delegate(&host, &target, why, sizeof(why)),
			 -ESRCH);
}

static void test_orchestrator_identity(void **state)
{
	struct canister_caller caller = host;

	assert_int_equal(canister_orchestrator_of(&host), 0);
	caller.delegation = 5;
	/* A delegated host admin still acts for the host. */
	assert_int_equal(canister_orchestrator_of(&caller), 0);
	assert_int_equal(canister_orchestrator_of(&nested_orchestrator), DELEGATION);
	caller.cap_audit_control = false;
	caller.delegation = 0;
	assert_int_equal(canister_orchestrator_of(&caller), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_registers_fresh_child),
		cmocka_unit_test(test_einval_unset_contid_and_bad_name),
		cmocka_unit_test(test_eperm_without_authority),
		cmocka_unit_test(test_eperm_comes_before_esrch),
		cmocka_unit_test(test_esrch_missing_target),
		cmocka_unit_test(test_exdev_self_and_foreign_process),
		cmocka_unit_test(test_eexist_labelled_target),
		cmocka_unit_test(test_nested_registration),
		cmocka_unit_test(test_delegate_outside_containers),
		cmocka_unit_test(test_emlink_beyond_limit),
		cmocka_unit_test(test_join_by_owner),
		cmocka_unit_test(test_enotuniq),
		cmocka_unit_test(test_ebusy_is_last),
		cmocka_unit_test(test_delegate_rules),
		cmocka_unit_test(test_orchestrator_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
