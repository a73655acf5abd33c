// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the host's audit rules file, what canisterd refuses, its contid filters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/host_rules.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH "/etc/canister/host.rules"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NOT_LOADED                                                                       \
	"canisterd loads rules only; -D and kernel-wide settings (-e, -b, -f, -r) stay " \
	"auditctl's"
#define NEEDS_KEY                                                                         \
	"a rule with a contid filter needs one -k key of plain characters, by which its " \
	"events are recognised"

static bool native_x86_64(void)
{
	return audit_detect_machine() == MACH_86_64;
}

/* The file is refused with exactly @message, and *ret is left as it was. */
static void expect_refusal(const char *text, const char *message)
{
	struct audit_host_rules host, untouched;
	char why[512] = "";

	memset(&host, 0x5a, sizeof(host));
	memcpy(&untouched, &host, sizeof(host));
	assert_int_equal(audit_host_rules_parse(text, strlen(text), PATH, &host, why, sizeof(why)),
			 -EINVAL);
	if (strcmp(why, message) != 0)
		fail_msg("\"%s\":\n  got      \"%s\"\n  expected \"%s\"", text, why, message);
	assert_memory_equal(&host, &untouched, sizeof(host));
}

static void parse_ok(const char *text, struct audit_host_rules *ret)
{
	char why[512] = "";

	if (audit_host_rules_parse(text, strlen(text), PATH, ret, why, sizeof(why)) != 0)
		fail_msg("\"%s\" refused: %s", text, why);
}

/* canisterd adds rules and deletes them at stop; the rest is auditctl's. */
static void test_only_kernel_rules(void **unused)
{
	static const char *const lines[] = {
		"-D",
		"-D -k exec",
		"-e 1",
		"-e 2",
		"-b 8192",
		"-f 1",
		"-r 100",
		"--backlog_wait_time 60000",
		"--loginuid-immutable",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		char text[128];

		/* Named by its own line, after rules that are fine. */
		snprintf(text, sizeof(text), "# host rules\n-w /etc/passwd -p wa -k identity\n%s\n",
			 lines[i]);
		expect_refusal(text, PATH ":3: " NOT_LOADED);
		/* After a filtered rule too. */
		snprintf(text, sizeof(text), "-w /etc/passwd -p wa -F contid=4 -k exec\n%s\n",
			 lines[i]);
		expect_refusal(text, PATH ":2: " NOT_LOADED);
	}
}

static void test_a_contid_filter_needs_a_plain_key_of_its_own(void **unused)
{
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4\n", PATH ":1: " NEEDS_KEY);
	expect_refusal("-w /etc/shadow -p r -F contid^=3\n", PATH ":1: " NEEDS_KEY);
	/* A space or a quote would be written in hex, not as key="...". */
	expect_refusal("-w /etc/passwd -p wa -k identity\n"
		       "-a always,exit -F arch=b64 -S execve -F contid=4 -k a\\ b\n",
		       PATH ":2: " NEEDS_KEY);
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k a\"b\n",
		       PATH ":1: " NEEDS_KEY);
	/* And any byte the kernel takes for a control character: beyond 0x7e, or below 0x21. */
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k cl\xc3\xa9\n",
		       PATH ":1: " NEEDS_KEY);
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k a\x7f\n",
		       PATH ":1: " NEEDS_KEY);
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k a\x02\n",
		       PATH ":1: " NEEDS_KEY);
	/* So would several keys, joined by 0x01. */
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid!=4 -k a -k b\n",
		       PATH ":1: " NEEDS_KEY);
	/* Two filtered rules with one key. */
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k k\n"
		       "\n"
		       "-w /etc/shadow -p r -F contid=unset -k k\n",
		       PATH ":3: key \"k\" is also line 1's; a rule with a contid filter needs a "
			    "key of its own");
	/*
	 * A filtered rule before an unfiltered one with its key: the second
	 * rule's events would carry the key and be filtered as the first's
	 * (/etc/passwd writes outside container 4 dropped).
	 */
	expect_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k k\n"
		       "-w /etc/passwd -p wa -k k\n",
		       PATH ":1: key \"k\" is also line 2's; a rule with a contid filter needs a "
			    "key of its own");
	/* An unfiltered rule before a filtered one with its key. */
	expect_refusal("-w /etc/passwd -p wa -k k\n"
		       "-a always,exit -F arch=b64 -S execve -F contid^=4 -k k\n",
		       PATH ":2: key \"k\" is also line 1's; a rule with a contid filter needs a "
			    "key of its own");
}

/* The kernel reports an event under the first matching rule's key only. */
static void test_rules_selecting_the_same_events(void **unused)
{
	if (!native_x86_64())
		skip();
	expect_refusal("-a always,exit -F arch=b64 -S uname -k plain\n"
		       "-a always,exit -F arch=b64 -S uname -F contid=777 -k filtered\n",
		       PATH ":2: selects the same events as line 1, and the kernel reports them "
			    "under line 1's key only: a contid filter on either would decide for "
			    "both; make the rules differ in a field");
	/* Whichever comes first, the later one is named. */
	expect_refusal("# filtered first\n"
		       "-a always,exit -F arch=b64 -S uname -F contid=777 -k filtered\n"
		       "-a always,exit -F arch=b64 -S uname -F contid=778 -k other\n",
		       PATH ":3: selects the same events as line 2, and the kernel reports them "
			    "under line 2's key only: a contid filter on either would decide for "
			    "both; make the rules differ in a field");
	expect_refusal("-w /etc/shadow -p r -F contid^=3 -k shadow\n"
		       "-w /etc/shadow -p r -k shadow-all\n",
		       PATH ":2: selects the same events as line 1, and the kernel reports them "
			    "under line 1's key only: a contid filter on either would decide for "
			    "both; make the rules differ in a field");
}

/* What the rules parser refuses comes through with its own message. */
static void test_a_bad_line_is_refused_by_the_parser(void **unused)
{
	struct audit_host_rules host;
	char why[512] = "";
	const char *text = "-w /etc/passwd -p wa -k identity\n"
			   "-a always,exit -F arch=b64 -S execve -F contid^=unset -k k\n";

	memset(&host, 0x5a, sizeof(host));
	assert_int_equal(audit_host_rules_parse(text, strlen(text), PATH, &host, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, PATH ":2: -F: contid^= needs a contid, not 'unset'");
}

/* Filters that differ in a field, keys of their own, rules without a filter or a key. */
static const char valid[] =
	"# canister's host rules\n"
	"-w /etc/passwd -p wa -k identity\n"
	"-a always,exit -F arch=b64 -S execve -F contid=4 -k exec-in-4\n"
	"-a always,exit -F arch=b64 -S execve -F success=0 -F contid^=3 -k failed-under-3\n"
	"-a always,exit -F arch=b64 -S uname -F contid!=5 -k uname-not-5\n"
	"-a always,exit -F arch=b64 -S sethostname -F contid=unset -k host-only\n"
	"-a always,exit -F arch=b64 -S kill\n"
	"-w /etc/shadow -p r -k shadow -k secrets\n";

static struct canister_syscall_facts keyed(const char *key)
{
	struct canister_syscall_facts facts = {
		.present = true, .arch = 0xc000003e, .nr = 59, .success = true
	};

	snprintf(facts.key, sizeof(facts.key), "%s", key);
	return facts;
}

static void test_a_valid_file_is_taken(void **unused)
{
	struct audit_host_rules host;

	parse_ok(valid, &host);
	assert_int_equal(host.count, 7);
	assert_int_equal(host.rules[0].line, 2);
	assert_string_equal(host.rules[1].key, "exec-in-4");
	assert_int_equal(host.rules[1].contid.kind, CONTID_EQ);
	assert_int_equal(host.rules[2].contid.kind, CONTID_SUBTREE);
	assert_string_equal(host.rules[5].key, "");
	assert_string_equal(host.rules[6].key, "shadow\001secrets");
	audit_host_rules_free(&host);
	assert_null(host.rules);
	assert_int_equal(host.count, 0);
	/* Freeing twice, or what was never parsed, is nothing. */
	audit_host_rules_free(&host);

	/* A file with nothing to load is no error; every event passes. */
	parse_ok("# nothing\n\n", &host);
	assert_int_equal(host.count, 0);
	{
		struct canister_syscall_facts facts = keyed("exec-in-4");

		assert_true(audit_host_rules_pass(&host, &facts, NULL, 0));
	}
	audit_host_rules_free(&host);
}

static void test_the_filter_decides_by_the_events_key(void **unused)
{
	static const uint64_t in4[] = { 4 }, in5[] = { 5 }, in6_in5[] = { 6, 5 }, in3[] = { 3 },
			      in9_in3[] = { 9, 3 }, in12_in9_in3[] = { 12, 9, 3 },
			      in4_in3[] = { 4, 3 }, in9[] = { 9 };
	static const struct {
		const char *key;
		const uint64_t *chain;
		unsigned int depth;
		bool pass;
	} cases[] = {
		/* No key, or one no filtered rule has: every process passes. */
		{ "", NULL, 0, true },
		{ "", in9, 1, true },
		{ "identity", in9, 1, true },
		{ "identity", NULL, 0, true },
		{ "no-such-rule", in9, 1, true },
		/* contid=4: the process's own container is 4. */
		{ "exec-in-4", in4, 1, true },
		{ "exec-in-4", in5, 1, false },
		{ "exec-in-4", NULL, 0, false },
		{ "exec-in-4", in4_in3, 2, true },
		{ "exec-in-4", in9_in3, 2, false },
		/* contid^=3: 3, or nested in 3 at any depth. */
		{ "failed-under-3", in3, 1, true },
		{ "failed-under-3", in9_in3, 2, true },
		{ "failed-under-3", in12_in9_in3, 3, true },
		{ "failed-under-3", in4_in3, 2, true },
		{ "failed-under-3", in9, 1, false },
		{ "failed-under-3", NULL, 0, false },
		/* contid!=5: the host, and 6 though it is nested in 5. */
		{ "uname-not-5", NULL, 0, true },
		{ "uname-not-5", in5, 1, false },
		{ "uname-not-5", in6_in5, 2, true },
		/* contid=unset: outside any container. */
		{ "host-only", NULL, 0, true },
		{ "host-only", in4, 1, false },
	};
	struct audit_host_rules host;

	parse_ok(valid, &host);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct canister_syscall_facts facts = keyed(cases[i].key);

		if (audit_host_rules_pass(&host, &facts, cases[i].chain, cases[i].depth) !=
		    cases[i].pass)
			fail_msg("case %zu: key \"%s\", depth %u: expected %s", i, cases[i].key,
				 cases[i].depth, cases[i].pass ? "pass" : "drop");
	}
	/* An event without a SYSCALL record is no syscall rule's. */
	{
		struct canister_syscall_facts none = { .present = false };

		assert_true(audit_host_rules_pass(&host, &none, in9, 1));
	}
	audit_host_rules_free(&host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_kernel_rules),
		cmocka_unit_test(test_a_contid_filter_needs_a_plain_key_of_its_own),
		cmocka_unit_test(test_rules_selecting_the_same_events),
		cmocka_unit_test(test_a_bad_line_is_refused_by_the_parser),
		cmocka_unit_test(test_a_valid_file_is_taken),
		cmocka_unit_test(test_the_filter_decides_by_the_events_key),
	};

	return cmocka_run_group_tests_name("host_rules", tests, NULL, NULL);
}
