// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: canisterd's access control plane: who may, the stored file, the table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/held.h"
#include "access/permit.h"
#include "access/store.h"
#include "access/stored.h"

#include <canister/abi.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Container 9, registered by delegation 3. */
static const struct access_target target = { .contid = 9, .owner = 3 };

static int check(const uint64_t *chain, unsigned int depth, bool host_admin, uint32_t delegation,
		 bool load, char *why)
{
	struct access_caller caller = {
		.host_admin = host_admin,
		.chain = chain,
		.depth = depth,
		.delegation = delegation,
	};

	why[0] = '\0';
	return access_permit_check(&caller, &target, load, why, 512);
}

static void test_who_may(void **state)
{
	static const uint64_t in_target[] = { 9, 5 }, nested_in_target[] = { 11, 9, 5 };
	static const uint64_t in_parent[] = { 5 }, elsewhere[] = { 7 };
	char why[512];

	(void)state;
	/* The host's administrator and the owner, from the host or from a parent container. */
	assert_int_equal(check(NULL, 0, true, 0, true, why), 0);
	assert_int_equal(check(NULL, 0, false, 3, true, why), 0);
	assert_int_equal(check(in_parent, 1, false, 3, false, why), 0);
	/* The owner's delegation inherited into the container is no ownership of it. */
	assert_int_equal(check(in_target, 2, false, 3, true, why), -EPERM);
	assert_string_equal(why,
			    "a process in container 9 (or in one nested in it) may not load its "
			    "access policy: only the host's audit administrator or the "
			    "orchestrator that registered it may");
	assert_int_equal(check(nested_in_target, 3, false, 3, false, why), -EPERM);
	assert_non_null(strstr(why, "may not read its access policy"));
	/* Another container's process, another orchestrator, nobody. */
	assert_int_equal(check(elsewhere, 1, false, 0, false, why), -EPERM);
	assert_string_equal(why, "a process in container 7 may not read container 9's access "
				 "policy: only the host's audit administrator or the orchestrator "
				 "that registered it may");
	assert_int_equal(check(NULL, 0, false, 4, true, why), -EPERM);
	assert_string_equal(why, "only the host's audit administrator or the orchestrator that "
				 "registered container 9 may load its access policy");
	/* Delegation 0 is the host's number in an owner, never a caller's. */
	{
		static const struct access_target host_owned = { .contid = 9, .owner = 0 };
		struct access_caller nobody = { .chain = NULL };

		assert_int_equal(access_permit_check(&nobody, &host_owned, true, why, sizeof(why)),
				 -EPERM);
	}
}

static void test_stored_round_trip(void **state)
{
	const struct access_stored_settings settings = {
		.mode = CANISTER_ACCESS_COMPLAIN,
		.loaded_by = UINT32_MAX,
		.loaded = 1700000000,
		.registered_ns = INT64_MAX,
	};
	static const char policy[] = "fs handle execute\nfs allow execute beneath /policy:\n";
	struct access_stored_settings back;
	const char *body;
	size_t len, body_len;
	char *text, why[256];

	(void)state;
	assert_int_equal(access_stored_format(&settings, policy, strlen(policy), &text, &len), 0);
	assert_string_equal(text, "# canisterd's own: a container's access policy (canister policy "
				  "show)\nmode = complain\nloaded_by = 4294967295\nloaded = "
				  "1700000000\nregistered_ns = 9223372036854775807\npolicy:\n"
				  "fs handle execute\nfs allow execute beneath /policy:\n");
	assert_int_equal(access_stored_parse(text, len, "5.policy", &back, &body, &body_len, why,
					     sizeof(why)),
			 0);
	assert_int_equal(back.mode, settings.mode);
	assert_int_equal(back.loaded_by, settings.loaded_by);
	assert_true(back.loaded == settings.loaded && back.registered_ns == settings.registered_ns);
	assert_int_equal(body_len, strlen(policy));
	assert_memory_equal(body, policy, body_len);
	free(text);
	/* An empty policy is one too. */
	assert_int_equal(access_stored_format(&settings, "", 0, &text, &len), 0);
	assert_int_equal(access_stored_parse(text, len, "5.policy", &back, &body, &body_len, why,
					     sizeof(why)),
			 0);
	assert_int_equal(body_len, 0);
	free(text);
}

static void expect_stored_refused(const char *text, const char *reason)
{
	struct access_stored_settings back = { .loaded = 77 };
	const char *body = NULL;
	size_t body_len = 99;
	char why[256];

	if (access_stored_parse(text, strlen(text), "5.policy", &back, &body, &body_len, why,
				sizeof(why)) != -EINVAL)
		fail_msg("taken: %s", text);
	if (strcmp(why, reason) != 0)
		fail_msg("%s: \"%s\", expected \"%s\"", text, why, reason);
	assert_true(back.loaded == 77 && body == NULL && body_len == 99);
}

static void test_stored_refusals(void **state)
{
	(void)state;
	expect_stored_refused("mode = enforce\nloaded_by = 0\nloaded = 1\nregistered_ns = 1\n",
			      "5.policy:1: no \"policy:\" line");
	expect_stored_refused(
		"mode = strict\nloaded_by = 0\nloaded = 1\nregistered_ns = 1\npolicy:\n",
		"5.policy:1: mode 'strict': enforce or complain");
	expect_stored_refused("mode = enforce\nloaded_by = 4294967296\nloaded = 1\nregistered_ns = "
			      "1\npolicy:\n",
			      "5.policy:2: loaded_by '4294967296': not a number in range");
	expect_stored_refused("mode = enforce\nloaded_by = 0\nloaded = -1\nregistered_ns = "
			      "1\npolicy:\n",
			      "5.policy:3: loaded '-1': not a number in range");
	expect_stored_refused("mode = enforce\nmode = enforce\npolicy:\n",
			      "5.policy:2: mode given twice");
	expect_stored_refused("mode = enforce\nloaded_by = 0\nloaded = 1\npolicy:\n",
			      "5.policy:3: no registered_ns");
	expect_stored_refused("owner = 1\npolicy:\n",
			      "5.policy:1: unknown key 'owner' (mode, loaded_by, loaded, "
			      "registered_ns)");
	/* A "policy:" inside a line is not the policy line. */
	expect_stored_refused("mode = enforce # policy:\n", "5.policy:1: no \"policy:\" line");
}

static void test_store_names(void **state)
{
	uint64_t contid = 0;

	(void)state;
	assert_true(access_store_name_contid("5.policy", &contid) && contid == 5);
	assert_true(access_store_name_contid("18446744073709551614.policy", &contid) &&
		    contid == UINT64_MAX - 1);
	/* The unset value, an overflow, a sign, leading zeros, other files: none. */
	assert_false(access_store_name_contid("18446744073709551615.policy", &contid));
	assert_false(access_store_name_contid("18446744073709551616.policy", &contid));
	assert_false(access_store_name_contid("+5.policy", &contid));
	assert_false(access_store_name_contid("05.policy", &contid));
	assert_false(access_store_name_contid(".policy", &contid));
	assert_false(access_store_name_contid("5.policy.refused", &contid));
	assert_false(access_store_name_contid("5.policy.tmp", &contid));
	assert_false(access_store_name_contid("5", &contid));
	assert_true(contid == UINT64_MAX - 1);
}

/*
 * A policy that parses but prints longer than the wire takes is refused
 * with its length, before anything is sent or kept: 60 rules of 4000-byte
 * paths.
 */
static void test_canonical_text_bound(void **state)
{
	struct canister_access_policy *policy;
	size_t cap = 64 * 4100, len = 0, half = 0, printed;
	char *text = malloc(cap), *canonical = NULL, why[256];

	(void)state;
	assert_non_null(text);
	len += (size_t)sprintf(text, "fs handle read\n");
	for (int i = 0; i < 60; i++) {
		len += (size_t)sprintf(text + len, "fs allow read beneath /%02d", i);
		memset(text + len, 'p', 3990);
		len += 3990;
		text[len++] = '\n';
		if (i == 29)
			half = len;
	}
	assert_int_equal(canister_access_policy_parse(text, len, "p", &policy, why, sizeof(why)),
			 0);
	assert_int_equal(access_canonical_text(policy, &canonical, &printed), -E2BIG);
	assert_null(canonical);
	assert_true(printed > CANISTER_ACCESS_POLICY_TEXT_MAX);
	canister_access_policy_free(policy);
	/* Half of it fits. */
	assert_int_equal(canister_access_policy_parse(text, half, "p", &policy, why, sizeof(why)),
			 0);
	assert_int_equal(access_canonical_text(policy, &canonical, &printed), 0);
	assert_int_equal(strlen(canonical), printed);
	assert_memory_equal(canonical, text, printed);
	free(canonical);
	canister_access_policy_free(policy);
	free(text);
}

static void test_held_table(void **state)
{
	const struct access_stored_settings settings = { .mode = CANISTER_ACCESS_COMPLAIN };
	struct canister_access_policy *policy;
	char why[256];

	(void)state;
	for (uint64_t contid = 1; contid <= 40; contid++) {
		assert_int_equal(canister_access_policy_parse("scope signal\n", 13, "p", &policy,
							      why, sizeof(why)),
				 0);
		assert_int_equal(
			access_held_put(contid, policy, strdup("scope signal\n"), 13, &settings),
			0);
	}
	assert_int_equal(access_held_count(), 40);
	assert_int_equal(access_held_refuse(41, "41.policy:1: no \"policy:\" line"), 0);
	assert_string_equal(access_held_refused(41), "41.policy:1: no \"policy:\" line");
	assert_int_equal(access_held_refused_count(), 1);
	/* A policy loaded over a refusal forgets it; one loaded again replaces the first. */
	assert_int_equal(canister_access_policy_parse("", 0, "p", &policy, why, sizeof(why)), 0);
	assert_int_equal(access_held_put(41, policy, strdup(""), 0, &settings), 0);
	assert_null(access_held_refused(41));
	assert_int_equal(
		canister_access_policy_parse("scope ptrace\n", 13, "p", &policy, why, sizeof(why)),
		0);
	assert_int_equal(access_held_put(7, policy, strdup("scope ptrace\n"), 13, &settings), 0);
	assert_int_equal(access_held_count(), 41);
	assert_string_equal(access_held_find(7)->text, "scope ptrace\n");
	access_held_drop(7);
	assert_null(access_held_find(7));
	assert_non_null(access_held_find(40));
	assert_int_equal(access_held_count(), 40);
	access_held_clear();
	assert_int_equal(access_held_count(), 0);
	assert_null(access_held_find(40));
}

/* One held policy: "scope signal" in @settings' mode. */
static struct canister_access_policy *signal_scope(void)
{
	struct canister_access_policy *policy;
	char why[256];

	assert_int_equal(
		canister_access_policy_parse("scope signal\n", 13, "p", &policy, why, sizeof(why)),
		0);
	return policy;
}

/*
 * canister.conf's default judges a container that holds none of its own,
 * never one that holds its own; the limit counts own policies only, and a
 * dropped container's frees room.
 */
static void test_held_default_and_limit(void **state)
{
	const struct access_stored_settings settings = { .mode = CANISTER_ACCESS_ENFORCE };
	const struct access_stored_settings complain = { .mode = CANISTER_ACCESS_COMPLAIN };
	const struct access_held *judging;

	(void)state;
	assert_false(access_held_any());
	assert_null(access_held_judging(5));
	access_held_set_default(signal_scope(), strdup("scope signal\n"), 13, &complain);
	assert_true(access_held_any());
	judging = access_held_judging(5);
	assert_non_null(judging);
	assert_true(judging->from_default);
	assert_int_equal(judging->settings.mode, CANISTER_ACCESS_COMPLAIN);
	assert_null(access_held_find(5));
	assert_int_equal(access_held_count(), 0);
	assert_int_equal(
		access_held_put(5, signal_scope(), strdup("scope signal\n"), 13, &settings), 0);
	judging = access_held_judging(5);
	assert_false(judging->from_default);
	assert_int_equal(judging->settings.mode, CANISTER_ACCESS_ENFORCE);
	assert_true(access_held_judging(6)->from_default);

	/* The limit: own policies only (the default is none of them). */
	for (uint64_t contid = 1000; access_held_count() < ACCESS_HELD_MAX; contid++)
		assert_int_equal(access_held_put(contid, signal_scope(), strdup("scope signal\n"),
						 13, &settings),
				 0);
	assert_false(access_held_room(6));
	assert_true(access_held_room(5));
	assert_int_equal(
		access_held_put(6, signal_scope(), strdup("scope signal\n"), 13, &settings),
		-E2BIG);
	assert_int_equal(access_held_count(), ACCESS_HELD_MAX);
	assert_null(access_held_find(6));
	assert_true(access_held_judging(6)->from_default);
	/* A replacement needs no room. */
	assert_int_equal(
		access_held_put(5, signal_scope(), strdup("scope signal\n"), 13, &complain), 0);
	access_held_drop(1000);
	assert_true(access_held_room(6));
	assert_int_equal(
		access_held_put(6, signal_scope(), strdup("scope signal\n"), 13, &settings), 0);
	access_held_set_default(NULL, NULL, 0, NULL);
	assert_null(access_held_judging(7));
	access_held_clear();
	assert_false(access_held_any());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_may),
		cmocka_unit_test(test_stored_round_trip),
		cmocka_unit_test(test_stored_refusals),
		cmocka_unit_test(test_store_names),
		cmocka_unit_test(test_canonical_text_bound),
		cmocka_unit_test(test_held_table),
		cmocka_unit_test(test_held_default_and_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
