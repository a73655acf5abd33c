// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a container's access policy parsed, printed, decided and intersected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/policy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCE "test.policy"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define EXEC CANISTER_ACCESS_FS_EXECUTE
#define READ CANISTER_ACCESS_FS_READ
#define WRITE CANISTER_ACCESS_FS_WRITE
#define BIND CANISTER_ACCESS_NET_BIND
#define CONNECT CANISTER_ACCESS_NET_CONNECT
#define CAP_NET_RAW 13
#define CAP_CHOWN 0

static struct canister_access_policy *parse_ok(const char *text)
{
	struct canister_access_policy *policy = NULL;
	char why[512] = "";
	int r;

	r = canister_access_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why));
	if (r != 0)
		fail_msg("policy refused (%d): %s\n%s", r, why, text);
	assert_non_null(policy);
	return policy;
}

/* The policy's printed text; free() it. */
static char *printed(const struct canister_access_policy *policy)
{
	size_t len = canister_access_policy_print(policy, NULL, 0);
	char *text = malloc(len + 1);

	assert_non_null(text);
	assert_int_equal(canister_access_policy_print(policy, text, len + 1), len);
	assert_int_equal(strlen(text), len);
	return text;
}

static void expect_printed(const char *text, const char *expected)
{
	struct canister_access_policy *policy = parse_ok(text);
	char *out = printed(policy);

	assert_string_equal(out, expected);
	free(out);
	canister_access_policy_free(policy);
}

static void expect_refused(const char *text, int error, const char *message)
{
	struct canister_access_policy *policy = NULL;
	char why[512] = "";
	int r;

	r = canister_access_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why));
	if (r != error)
		fail_msg("expected %d, got %d (%s) for:\n%s", error, r, why, text);
	assert_null(policy);
	assert_string_equal(why, message);
}

static bool fs(const struct canister_access_policy *policy, uint32_t right, const char *path)
{
	return canister_access_fs_allows(policy, right, path, strlen(path), NULL);
}

static void test_no_exec_tmp(void **state)
{
	struct canister_access_policy *policy = parse_ok("fs handle execute\n"
							 "fs allow execute beneath /\n"
							 "fs deny execute beneath /tmp\n");
	unsigned int line;

	(void)state;
	assert_true(fs(policy, EXEC, "/usr/bin/ls"));
	assert_true(fs(policy, EXEC, "/"));
	assert_false(fs(policy, EXEC, "/tmp"));
	assert_false(fs(policy, EXEC, "/tmp/x"));
	assert_false(fs(policy, EXEC, "/tmp/a/b/c"));
	/* A name that starts like the directory is not beneath it. */
	assert_true(fs(policy, EXEC, "/tmpfoo/x"));
	/* Rights the policy does not handle are not its to refuse. */
	assert_true(fs(policy, WRITE, "/tmp/x"));
	assert_true(fs(policy, READ, "/tmp/x"));
	assert_false(canister_access_fs_allows(policy, EXEC, "/tmp/x", 6, &line));
	assert_int_equal(line, 3);
	assert_true(canister_access_fs_allows(policy, EXEC, "/bin/sh", 7, &line));
	assert_int_equal(line, 2);
	canister_access_policy_free(policy);
}

static void test_handled_without_rule_is_denied(void **state)
{
	struct canister_access_policy *policy =
		parse_ok("fs handle read,write\n"
			 "fs allow read beneath /srv\n"
			 "fs allow write beneath /srv/data\n"
			 "fs deny write beneath /srv/data/frozen\n"
			 "fs allow write beneath /srv/data/frozen/open\n");

	(void)state;
	assert_false(fs(policy, READ, "/etc/passwd"));
	assert_true(fs(policy, READ, "/srv/data/x"));
	assert_false(fs(policy, WRITE, "/srv/index.html"));
	assert_true(fs(policy, WRITE, "/srv/data/x"));
	assert_false(fs(policy, WRITE, "/srv/data/frozen/x"));
	assert_true(fs(policy, WRITE, "/srv/data/frozen/open/x"));
	assert_true(fs(policy, EXEC, "/anything"));
	canister_access_policy_free(policy);
}

static void test_canonical_print(void **state)
{
	(void)state;
	/* Paths normalised, one rule per path and effect, sorted, merged; ports merged. */
	expect_printed("# a comment\n"
		       "\n"
		       "fs handle write\n"
		       "fs handle read\n"
		       "  fs allow read beneath //srv//www/   \n"
		       "fs allow write beneath /srv/www\n"
		       "fs deny read beneath /srv/www/private\n"
		       "fs allow read beneath /etc\n"
		       "net handle connect,bind\n"
		       "net allow connect 443,80\n"
		       "net allow connect 81-100\n"
		       "net allow bind 8080\n"
		       "net allow bind,connect 8081\n"
		       "scope ptrace\n"
		       "scope signal\n"
		       "capability drop CAP_NET_RAW\n"
		       "capability drop cap_sys_admin\n",
		       "fs handle read,write\n"
		       "fs allow read beneath /etc\n"
		       "fs allow read,write beneath /srv/www\n"
		       "fs deny read beneath /srv/www/private\n"
		       "net handle bind,connect\n"
		       "net allow connect 80-100\n"
		       "net allow connect 443\n"
		       "net allow bind 8080\n"
		       "net allow bind,connect 8081\n"
		       "scope signal,ptrace\n"
		       "capability drop CAP_NET_RAW,CAP_SYS_ADMIN\n");
	/* A path with spaces and a '#' is the rest of the line. */
	expect_printed("fs handle read\nfs allow read beneath /srv/my files #1\n",
		       "fs handle read\nfs allow read beneath /srv/my files #1\n");
	expect_printed("fs handle all\nnet handle all\nscope all\n",
		       "fs handle execute,read,write,create,remove\nnet handle bind,connect\n"
		       "scope signal,ptrace\n");
	expect_printed("", "");
	expect_printed("capability keep CAP_CHOWN\n", "capability keep CAP_CHOWN\n");
	expect_printed("capability keep CAP_CHOWN,CAP_KILL\ncapability drop CAP_KILL\n",
		       "capability keep CAP_CHOWN\n");
}

static void test_ports(void **state)
{
	struct canister_access_policy *policy = parse_ok("net handle connect\n"
							 "net allow connect 443\n"
							 "net allow connect 8000-8099\n");

	(void)state;
	assert_true(canister_access_net_allows(policy, CONNECT, 443));
	assert_false(canister_access_net_allows(policy, CONNECT, 444));
	assert_true(canister_access_net_allows(policy, CONNECT, 8000));
	assert_true(canister_access_net_allows(policy, CONNECT, 8099));
	assert_false(canister_access_net_allows(policy, CONNECT, 8100));
	assert_false(canister_access_net_allows(policy, CONNECT, 0));
	/* bind is not handled. */
	assert_true(canister_access_net_allows(policy, BIND, 22));
	canister_access_policy_free(policy);
	expect_printed("net handle bind\nnet allow bind 0-65535\n",
		       "net handle bind\nnet allow bind 0-65535\n");
}

static void test_capabilities(void **state)
{
	struct canister_access_policy *policy = parse_ok("capability drop CAP_NET_RAW\n");

	(void)state;
	assert_false(policy->cap_bound & (UINT64_C(1) << CAP_NET_RAW));
	assert_true(policy->cap_bound & (UINT64_C(1) << CAP_CHOWN));
	assert_int_equal(policy->cap_bound | (UINT64_C(1) << CAP_NET_RAW),
			 CANISTER_ACCESS_CAPS_ALL);
	canister_access_policy_free(policy);
	assert_string_equal(canister_access_cap_name(CAP_NET_RAW), "CAP_NET_RAW");
	assert_string_equal(canister_access_cap_name(CANISTER_ACCESS_CAP_LAST),
			    "CAP_CHECKPOINT_RESTORE");
	assert_null(canister_access_cap_name(CANISTER_ACCESS_CAP_LAST + 1));
	/* An empty bound: every capability dropped. */
	policy = parse_ok("capability keep CAP_CHOWN\ncapability drop CAP_CHOWN\n");
	assert_int_equal(policy->cap_bound, 0);
	canister_access_policy_free(policy);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_refused("fs allow read beneath /\n", -EINVAL,
		       SOURCE ":1: fs allow names a right this policy does not handle (add \"fs "
			      "handle read\" before it)");
	expect_refused("fs handle read\nfs allow read beneath srv\n", -EINVAL,
		       SOURCE ":2: \"srv\" is not an absolute path");
	expect_refused("fs handle read\nfs allow read beneath /srv/../etc\n", -EINVAL,
		       SOURCE ":2: \"/srv/../etc\": \".\" and \"..\" are not resolved in a "
			      "policy; name the directory itself");
	/* Found by fuzz_access_policy: the blank printed last was trimmed when read back. */
	expect_refused("fs handle read\nfs allow read beneath /srv /\n", -EINVAL,
		       SOURCE ":2: \"/srv /\" ends in a blank, which a policy line cannot end in");
	expect_refused("fs handle read\nfs allow read beneath\n", -EINVAL,
		       SOURCE ":2: no path after \"beneath\"");
	expect_refused("fs handle read\nfs allow read under /\n", -EINVAL,
		       SOURCE ":2: expected \"fs allow RIGHTS beneath PATH\"");
	expect_refused("fs handle read,exec\n", -EINVAL,
		       SOURCE ":1: unknown file right \"exec\" (known: execute, read, write, "
			      "create, remove, or all)");
	expect_refused("fs handle read,read\n", -EINVAL,
		       SOURCE ":1: file right \"read\" named twice");
	expect_refused("fs handle read\nfs allow read beneath /srv\nfs deny read beneath /srv/\n",
		       -EINVAL,
		       SOURCE ":3: line 2 says the opposite for the same rights beneath /srv");
	expect_refused("net handle connect\nnet allow connect 65536\n", -EINVAL,
		       SOURCE ":2: \"65536\" is not a TCP port (0 to 65535)");
	expect_refused("net handle connect\nnet allow connect 080\n", -EINVAL,
		       SOURCE ":2: \"080\" is not a TCP port (0 to 65535)");
	expect_refused("net handle connect\nnet allow connect 90-80\n", -EINVAL,
		       SOURCE ":2: port range 90-80 ends before it starts");
	expect_refused("net handle connect\nnet allow connect 80,\n", -EINVAL,
		       SOURCE ":2: \"\" is not a TCP port (0 to 65535)");
	expect_refused("net handle bind\nnet allow connect 80\n", -EINVAL,
		       SOURCE ":2: net allow names a right this policy does not handle (add \"net "
			      "handle connect\" before it)");
	expect_refused("capability drop CAP_NET_RAWX\n", -EINVAL,
		       SOURCE ":1: unknown capability \"CAP_NET_RAWX\" (capabilities(7) names "
			      "them)");
	expect_refused("capability drop NET_RAW\n", -EINVAL,
		       SOURCE ":1: \"NET_RAW\" is not a capability name (CAP_NET_RAW, ...)");
	expect_refused("capability lose CAP_NET_RAW\n", -EINVAL,
		       SOURCE ":1: expected \"capability keep\" or \"capability drop\"");
	expect_refused("scope signal extra\n", -EINVAL,
		       SOURCE ":1: expected \"scope signal|ptrace[,...]\"");
	expect_refused("allow everything\n", -EINVAL,
		       SOURCE ":1: unknown statement \"allow\" (known: fs handle, fs allow, fs "
			      "deny, net handle, net allow, scope, capability)");
	expect_refused("fs handle read\rx\n", -EINVAL,
		       SOURCE ":1: control character 0x0d in the line");
	expect_refused("a b c d e f g h i\n", -EINVAL, SOURCE ":1: too many words");
}

static void test_nul_and_limits(void **state)
{
	struct canister_access_policy *policy = NULL;
	size_t size = 20 + 1025 * 32, len = 0;
	char why[512], *text = malloc(size);

	(void)state;
	assert_int_equal(canister_access_policy_parse("fs handle\0 read\n", 16, SOURCE, &policy,
						      why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, SOURCE ":1: contains a NUL byte; not a text file");
	assert_non_null(text);
	len += (size_t)sprintf(text, "net handle bind\n");
	for (unsigned int i = 0; i < 1025; i++)
		len += (size_t)sprintf(text + len, "net allow bind %u\n", i * 2);
	assert_int_equal(canister_access_policy_parse(text, len, SOURCE, &policy, why, sizeof(why)),
			 -E2BIG);
	assert_null(policy);
	assert_string_equal(why, SOURCE ":1026: more than 1024 rules");
	/* 1024 are taken. */
	text[len - 1] = '\0';
	len = (size_t)(strrchr(text, '\n') - text) + 1;
	assert_int_equal(canister_access_policy_parse(text, len, SOURCE, &policy, why, sizeof(why)),
			 0);
	assert_int_equal(policy->net_count, 1024);
	canister_access_policy_free(policy);
	free(text);
}

/* Every path the tests ask about, for the chain against its effective policy. */
static const char *const probe_paths[] = {
	"/",	  "/bin/sh",  "/tmp",	      "/tmp/x",	       "/tmp/ok/x",	"/srv",	  "/srv/x",
	"/srv/a", "/srv/a/b", "/srv/private", "/srv/privatex", "/usr/lib/x.so", "/etc/x", "/opt/y",
};

static void expect_effective_decides_as_chain(const struct canister_access_policy *const *levels,
					      unsigned int depth,
					      const struct canister_access_policy *effective)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_paths); i++)
		for (uint32_t right = 1; right <= CANISTER_ACCESS_FS_ALL; right <<= 1) {
			bool chain = true;

			for (unsigned int l = 0; l < depth; l++)
				chain = chain && fs(levels[l], right, probe_paths[i]);
			if (chain != fs(effective, right, probe_paths[i]))
				fail_msg("right %s at %s: chain %d, effective %d",
					 canister_access_fs_right_name(right), probe_paths[i],
					 chain, !chain);
		}
	for (uint32_t port = 0; port <= 65535; port += 7)
		for (uint32_t right = 1; right <= CANISTER_ACCESS_NET_ALL; right <<= 1) {
			bool chain = true;

			for (unsigned int l = 0; l < depth; l++)
				chain = chain && canister_access_net_allows(levels[l], right,
									    (uint16_t)port);
			assert_int_equal(chain, canister_access_net_allows(effective, right,
									   (uint16_t)port));
		}
}

static void test_nested_only_narrows(void **state)
{
	struct canister_access_policy *parent = parse_ok("fs handle execute\n"
							 "fs allow execute beneath /\n"
							 "fs deny execute beneath /tmp\n"
							 "net handle connect\n"
							 "net allow connect 1-1000\n"
							 "scope signal\n"
							 "capability drop CAP_NET_RAW\n");
	/* The child tries to widen: execute beneath /tmp, every port, CAP_NET_RAW back. */
	struct canister_access_policy *child = parse_ok("fs handle execute,read\n"
							"fs allow execute beneath /tmp\n"
							"fs allow execute,read beneath /srv\n"
							"fs deny read beneath /srv/private\n"
							"fs allow read beneath /usr\n"
							"net handle connect,bind\n"
							"net allow connect 0-65535\n"
							"net allow bind 500-2000\n"
							"capability keep CAP_NET_RAW,CAP_CHOWN\n");
	const struct canister_access_policy *chain[] = { child, parent };
	struct canister_access_policy *effective = NULL, *again = NULL;
	char why[512], *text;

	(void)state;
	assert_int_equal(canister_access_effective(chain, 2, &effective), 0);
	text = printed(effective);
	assert_string_equal(text, "fs handle execute,read\n"
				  "fs allow execute,read beneath /srv\n"
				  "fs deny read beneath /srv/private\n"
				  "fs allow read beneath /usr\n"
				  "net handle bind,connect\n"
				  "net allow connect 1-499\n"
				  "net allow bind,connect 500-1000\n"
				  "net allow bind 1001-2000\n"
				  "scope signal\n"
				  "capability keep CAP_CHOWN\n");
	/* What it decides is what the two decide together, everywhere asked. */
	expect_effective_decides_as_chain(chain, 2, effective);
	assert_false(fs(effective, EXEC, "/tmp/x"));
	/* It loads as a policy, and prints the same. */
	assert_int_equal(
		canister_access_policy_parse(text, strlen(text), SOURCE, &again, why, sizeof(why)),
		0);
	free(text);
	text = printed(again);
	free(text);
	canister_access_policy_free(again);
	canister_access_policy_free(effective);
	/* A level alone is its own effective policy. */
	assert_int_equal(canister_access_effective(chain + 1, 1, &effective), 0);
	expect_effective_decides_as_chain(chain + 1, 1, effective);
	text = printed(effective);
	assert_string_equal(text, "fs handle execute\n"
				  "fs allow execute beneath /\n"
				  "fs deny execute beneath /tmp\n"
				  "net handle connect\n"
				  "net allow connect 1-1000\n"
				  "scope signal\n"
				  "capability drop CAP_NET_RAW\n");
	free(text);
	canister_access_policy_free(effective);
	canister_access_policy_free(child);
	canister_access_policy_free(parent);
}

/* The documented examples parse, and say what their comments say. */
static void test_examples(void **state)
{
	struct canister_access_policy *policy = NULL;
	char why[512] = "";

	(void)state;
	assert_int_equal(canister_access_policy_load("examples/policies/no-net-raw.policy", &policy,
						     why, sizeof(why)),
			 0);
	assert_int_equal(policy->cap_bound, CANISTER_ACCESS_CAPS_ALL & ~(UINT64_C(1) << 13));
	assert_int_equal(policy->fs_handled | policy->net_handled | policy->scopes, 0);
	canister_access_policy_free(policy);
	assert_int_equal(canister_access_policy_load("examples/policies/no-exec-tmp.policy",
						     &policy, why, sizeof(why)),
			 0);
	assert_true(fs(policy, EXEC, "/usr/bin/id"));
	assert_false(fs(policy, EXEC, "/tmp/a.out"));
	assert_false(fs(policy, EXEC, "/var/tmp/a.out"));
	assert_false(fs(policy, EXEC, "/dev/shm/a.out"));
	assert_true(fs(policy, WRITE, "/tmp/a.out"));
	canister_access_policy_free(policy);
	assert_int_equal(canister_access_policy_load("examples/policies/web-server.policy", &policy,
						     why, sizeof(why)),
			 0);
	assert_true(fs(policy, READ, "/srv/www/index.html"));
	assert_false(fs(policy, WRITE, "/srv/www/index.html"));
	assert_true(canister_access_net_allows(policy, BIND, 443));
	assert_false(canister_access_net_allows(policy, CONNECT, 443));
	canister_access_policy_free(policy);
}

static void test_load_refuses_untrusted_files(void **state)
{
	char dir[] = "/tmp/canister-access-XXXXXX", path[64], link[80];
	struct canister_access_policy *policy = NULL;
	char why[512] = "";
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "scope signal\n", 13), 13);
	close(fd);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(canister_access_policy_load(link, &policy, why, sizeof(why)), -EINVAL);
	assert_null(policy);
	assert_non_null(strstr(why, "symlink"));
	assert_int_equal(chmod(path, 0666), 0);
	assert_true(canister_access_policy_load(path, &policy, why, sizeof(why)) < 0);
	assert_null(policy);
	assert_non_null(strstr(why, "writable"));
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(canister_access_policy_load(path, &policy, why, sizeof(why)), 0);
	assert_int_equal(policy->scopes, CANISTER_ACCESS_SCOPE_SIGNAL);
	canister_access_policy_free(policy);
	unlink(link);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_exec_tmp),
		cmocka_unit_test(test_handled_without_rule_is_denied),
		cmocka_unit_test(test_canonical_print),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_nul_and_limits),
		cmocka_unit_test(test_nested_only_narrows),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_load_refuses_untrusted_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
