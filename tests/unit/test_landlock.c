// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: an access policy as Landlock holds it: the grants, holes expanded over a
 * made-up tree, and the access bits and gaps per Landlock ABI version. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/landlock_plan.h"
#include "access/landlock_rights.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "test.policy"

/* A directory and its entries; an entry ending in '@' is a symlink. */
static const struct {
	const char *dir;
	const char *entries[6];
} tree[] = {
	{ "/", { "bin", "etc", "tmp", "usr", "lnk@", NULL } },
	{ "/tmp", { "a", "b", NULL } },
	{ "/tmp/a", { "x", "y", NULL } },
	{ "/usr", { "bin", "lib", NULL } },
};

static int list_dir(const char *dir, char ***ret_names, bool **ret_links, size_t *ret_count,
		    void *ctx)
{
	unsigned int *listed = ctx;

	(*listed)++;
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++) {
		size_t n = 0;

		if (strcmp(tree[i].dir, dir) != 0)
			continue;
		while (tree[i].entries[n])
			n++;
		*ret_names = calloc(n, sizeof(char *));
		*ret_links = calloc(n, sizeof(bool));
		assert_non_null(*ret_names);
		assert_non_null(*ret_links);
		for (size_t k = 0; k < n; k++) {
			size_t len = strlen(tree[i].entries[k]);

			(*ret_names)[k] = strdup(tree[i].entries[k]);
			(*ret_links)[k] = tree[i].entries[k][len - 1] == '@';
			if ((*ret_links)[k])
				(*ret_names)[k][len - 1] = '\0';
		}
		*ret_count = n;
		return 0;
	}
	return -ENOENT;
}

/* The plan as "path=rights;" for each grant, rights as the policy bits in hex; "*": a rule names
 * it. */
static void expect_plan(const char *text, const char *expected, unsigned int expected_listed)
{
	struct canister_access_policy *policy = NULL;
	struct access_landlock_grant *grants = NULL;
	unsigned int listed = 0;
	char why[512], out[1024] = "";
	size_t count = 0;

	if (canister_access_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(access_landlock_plan(policy, list_dir, &listed, 100, &grants, &count), 0);
	for (size_t i = 0; i < count; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s=%x;", grants[i].path,
			 grants[i].named ? "*" : "", grants[i].rights);
	assert_string_equal(out, expected);
	assert_int_equal(listed, expected_listed);
	access_landlock_plan_free(grants, count);
	canister_access_policy_free(policy);
}

static void test_allow_only(void **state)
{
	(void)state;
	/* No hole: one grant per rule, nothing listed. */
	expect_plan("fs handle read,execute\nfs allow read,execute beneath /usr\n"
		    "fs allow read beneath /etc\n",
		    "/etc*=2;/usr*=3;", 1);
	expect_plan("fs handle read\nfs allow read beneath /\n", "/*=2;", 0);
	expect_plan("fs handle read\n", "", 0);
	expect_plan("scope signal\n", "", 0);
}

static void test_hole(void **state)
{
	(void)state;
	/* execute beneath / but /tmp: every entry of / but tmp, and not the symlink. */
	expect_plan("fs handle execute,read\nfs allow execute,read beneath /\n"
		    "fs deny execute beneath /tmp\n",
		    "/*=2;/bin=1;/etc=1;/usr=1;", 1);
	/* An allow inside the hole: /tmp listed, /tmp/a granted, /tmp/b not. */
	expect_plan("fs handle execute\nfs allow execute beneath /\n"
		    "fs deny execute beneath /tmp\nfs allow execute beneath /tmp/a\n",
		    "/bin=1;/etc=1;/tmp/a*=1;/usr=1;", 2);
	/* A hole two levels down. */
	expect_plan(
		"fs handle write\nfs allow write beneath /tmp\nfs deny write beneath /tmp/a/x\n",
		"/tmp/a/y=4;/tmp/b=4;", 3);
	/* A symlink a rule names is granted (its target, by the glue's open). */
	expect_plan("fs handle execute\nfs allow execute beneath /\nfs deny execute beneath /tmp\n"
		    "fs allow execute beneath /lnk\n",
		    "/bin=1;/etc=1;/usr=1;/lnk*=1;", 1);
	/* A rule beneath something that does not exist: nothing to grant there. */
	expect_plan("fs handle read\nfs allow read beneath /nowhere/deep\n", "", 1);
}

static void test_limit(void **state)
{
	struct canister_access_policy *policy = NULL;
	struct access_landlock_grant *grants = NULL;
	unsigned int listed = 0;
	size_t count = 0;
	char why[512];
	const char *text = "fs handle execute\nfs allow execute beneath /\nfs deny execute beneath "
			   "/tmp\n";

	(void)state;
	assert_int_equal(
		canister_access_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why)),
		0);
	assert_int_equal(access_landlock_plan(policy, list_dir, &listed, 2, &grants, &count),
			 -E2BIG);
	canister_access_policy_free(policy);
}

static struct canister_access_policy *parse_ok(const char *text)
{
	struct canister_access_policy *policy = NULL;
	char why[512];

	if (canister_access_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why)))
		fail_msg("%s", why);
	return policy;
}

static void expect_gaps(const char *text, int abi, const char *expected)
{
	struct canister_access_policy *policy = parse_ok(text);
	struct access_ll_gaps gaps;
	char out[256];

	access_ll_gaps(policy, abi, &gaps);
	assert_int_equal(access_ll_gaps_text(&gaps, out, sizeof(out)), expected[0] != '\0');
	assert_string_equal(out, expected);
	canister_access_policy_free(policy);
}

static void test_gaps_per_abi(void **state)
{
	const char *all = "fs handle execute,write\nnet handle connect\nscope signal,ptrace\n";

	(void)state;
	/* Debian 12's 6.1: files but truncate, no TCP, no signal scope. */
	expect_gaps(all, 2, "net connect, scope signal, truncate(2) under fs write");
	expect_gaps(all, 4, "scope signal");
	expect_gaps(all, 6, "");
	expect_gaps(all, 7, "");
	expect_gaps(all, 1,
		    "net connect, scope signal, truncate(2) under fs write, renames across "
		    "directories (all refused)");
	expect_gaps(all, -38, "fs execute, fs write, net connect, scope signal, scope ptrace");
	/* A bound alone needs no Landlock. */
	expect_gaps("capability drop CAP_NET_RAW\n", -38, "");
}

static void test_access_bits(void **state)
{
	(void)state;
	assert_int_equal(access_ll_fs(CANISTER_ACCESS_FS_READ, 2),
			 ACCESS_LL_FS_READ_FILE | ACCESS_LL_FS_READ_DIR);
	assert_int_equal(access_ll_fs(CANISTER_ACCESS_FS_WRITE, 2), ACCESS_LL_FS_WRITE_FILE);
	assert_int_equal(access_ll_fs(CANISTER_ACCESS_FS_WRITE, 3),
			 ACCESS_LL_FS_WRITE_FILE | ACCESS_LL_FS_TRUNCATE);
	assert_int_equal(access_ll_fs(CANISTER_ACCESS_FS_CREATE, 1), 0x7fULL << 6);
	assert_int_equal(access_ll_fs(CANISTER_ACCESS_FS_ALL, 0), 0);
	assert_int_equal(access_ll_net(CANISTER_ACCESS_NET_ALL, 3), 0);
	assert_int_equal(access_ll_net(CANISTER_ACCESS_NET_CONNECT, 4), ACCESS_LL_NET_CONNECT_TCP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allow_only),  cmocka_unit_test(test_hole),
		cmocka_unit_test(test_limit),	    cmocka_unit_test(test_gaps_per_abi),
		cmocka_unit_test(test_access_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
