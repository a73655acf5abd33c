// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the router: what an event's SYSCALL record shows, and which sinks take it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/event.h"
#include "audit/route.h"
#include "audit/rules.h"

#include <libaudit.h>
#include <stdlib.h>
#include <string.h>

#define SYSCALL_UNAME                                                                         \
	"audit(1700000000.123:77): arch=c000003e syscall=63 success=yes exit=0 a0=7ffd a1=0 " \
	"a2=0 a3=0 items=0 ppid=1 pid=42 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 "    \
	"sgid=0 fsgid=0 tty=(none) ses=1 comm=\"uname\" exe=\"/usr/bin/uname\" "              \
	"subj=unconfined key=\"mine\""

static void add(struct audit_event *event, int type, const char *body)
{
	assert_int_equal(audit_event_add_line(event, "", 0, type, audit_msg_type_to_name(type),
					      body, strlen(body)),
			 0);
}

/* The facts routing gets: read as the event is built, from @body's SYSCALL record. */
static struct canister_syscall_facts facts_of(const char *body)
{
	const struct canister_record_stamp stamp = { .sec = 1700000000, .msec = 123, .serial = 77 };
	struct audit_event event = { 0 };
	struct canister_syscall_facts facts;

	memset(&event.facts, 0x5a, sizeof(event.facts));
	audit_event_reset(&event, &stamp);
	add(&event, AUDIT_PROCTITLE, "audit(1700000000.123:77): proctitle=6C73");
	add(&event, AUDIT_SYSCALL, body);
	facts = event.facts;
	audit_event_free(&event);
	return facts;
}

static void test_facts_of_a_syscall_record(void **unused)
{
	struct canister_syscall_facts facts = facts_of(SYSCALL_UNAME);

	assert_true(facts.present);
	assert_int_equal(facts.arch, 0xc000003e);
	assert_int_equal(facts.nr, 63);
	assert_true(facts.success);
	assert_string_equal(facts.key, "mine");
}

static void test_keys_that_are_not_one_plain_key(void **unused)
{
	struct canister_syscall_facts facts;

	facts = facts_of("audit(1.000:1): arch=c000003e syscall=59 success=no exit=-2 pid=9 "
			 "key=(null)");
	assert_true(facts.present);
	assert_false(facts.success);
	assert_string_equal(facts.key, "");
	/* Several keys are joined by 0x01 and written in hex. */
	facts = facts_of("audit(1.000:1): arch=c000003e syscall=59 success=yes pid=9 key=61016");
	assert_string_equal(facts.key, "");
	facts = facts_of("audit(1.000:1): arch=c000003e syscall=59 success=yes pid=9 "
			 "key=\"unterminated");
	assert_string_equal(facts.key, "");
}

static void test_no_syscall_record_or_broken_fields(void **unused)
{
	const struct canister_record_stamp stamp = { .sec = 1, .msec = 0, .serial = 1 };
	struct audit_event event = { 0 };
	struct canister_syscall_facts facts;

	/* A reused event keeps nothing of the facts of the one before. */
	audit_event_reset(&event, &stamp);
	add(&event, AUDIT_SYSCALL, SYSCALL_UNAME);
	assert_true(event.facts.present);
	audit_event_reset(&event, &stamp);
	add(&event, AUDIT_USER_LOGIN, "audit(1.000:1): pid=1 uid=0 key=\"x\"");
	assert_false(event.facts.present);
	assert_false(event.facts.success);
	assert_string_equal(event.facts.key, "");
	audit_event_free(&event);

	facts = facts_of("audit(1.000:1): arch=zz syscall=59 pid=9");
	assert_false(facts.present);
	facts = facts_of("audit(1.000:1): arch=c000003e syscall=-1 pid=9");
	assert_false(facts.present);
	facts = facts_of("audit(1.000:1): arch=c000003e pid=9");
	assert_false(facts.present);
	facts = facts_of("audit(1.000:1): arch=100000000 syscall=59 pid=9");
	assert_false(facts.present);
	/* A field name inside another's value is not that field. */
	facts = facts_of("audit(1.000:1): arch=c000003e syscall=59 comm=\"x key=y\" pid=9");
	assert_string_equal(facts.key, "");
}

static struct canister_audit_rule rule(const char *line)
{
	struct canister_audit_rule parsed;
	char why[256];

	if (canister_audit_rule_parse_line(line, 1, &parsed, why, sizeof(why)) != 0)
		fail_msg("%s: %s", line, why);
	assert_int_equal(canister_audit_rule_sink_check(&parsed, why, sizeof(why)), 0);
	return parsed;
}

static void test_a_sink_takes_its_subtree_only(void **unused)
{
	struct canister_syscall_facts facts = facts_of(SYSCALL_UNAME);
	uint64_t nested[] = { 611, 61 }, other[] = { 62 };
	struct canister_route route = { .chain = nested, .depth = 2, .facts = &facts };

	assert_true(canister_sink_takes(61, NULL, 0, &route));
	assert_true(canister_sink_takes(611, NULL, 0, &route));
	assert_false(canister_sink_takes(62, NULL, 0, &route));
	route.chain = other;
	route.depth = 1;
	assert_false(canister_sink_takes(61, NULL, 0, &route));
	route.depth = 0;
	assert_false(canister_sink_takes(62, NULL, 0, &route));
}

static void test_an_event_of_a_sink_rule_is_that_sinks_alone(void **unused)
{
	struct canister_syscall_facts facts = facts_of(SYSCALL_UNAME);
	uint64_t nested[] = { 611, 61 };
	struct canister_route route = {
		.chain = nested, .depth = 2, .facts = &facts, .owned = true, .owner = 611
	};

	assert_true(canister_sink_takes(611, NULL, 0, &route));
	assert_false(canister_sink_takes(61, NULL, 0, &route));
}

static void test_rules_select_syscall_events(void **unused)
{
	struct canister_audit_rule rules[] = {
		rule("-a always,exit -F arch=b64 -S execve -k s-exec"),
		rule("-a always,exit -F arch=b64 -S uname -F success=0 -k s-uname-failed"),
	};
	struct canister_syscall_facts facts = facts_of(SYSCALL_UNAME);
	uint64_t chain[] = { 62 };
	struct canister_route route = { .chain = chain, .depth = 1, .facts = &facts };
	struct canister_syscall_facts none = { .present = false };

	/* uname succeeded: neither rule selects it. */
	assert_false(canister_sink_takes(62, rules, 2, &route));
	facts.success = false;
	assert_true(canister_sink_takes(62, rules, 2, &route));
	facts = facts_of("audit(1.000:1): arch=c000003e syscall=59 success=yes pid=9 "
			 "key=\"host-exec\"");
	assert_true(canister_sink_takes(62, rules, 2, &route));
	/* With rules, an event without a SYSCALL record is not selected; without, it is. */
	route.facts = &none;
	assert_false(canister_sink_takes(62, rules, 2, &route));
	assert_true(canister_sink_takes(62, NULL, 0, &route));
	for (size_t i = 0; i < 2; i++)
		free(rules[i].data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts_of_a_syscall_record),
		cmocka_unit_test(test_keys_that_are_not_one_plain_key),
		cmocka_unit_test(test_no_syscall_record_or_broken_fields),
		cmocka_unit_test(test_a_sink_takes_its_subtree_only),
		cmocka_unit_test(test_an_event_of_a_sink_rule_is_that_sinks_alone),
		cmocka_unit_test(test_rules_select_syscall_events),
	};

	return cmocka_run_group_tests_name("audit_route", tests, NULL, NULL);
}
