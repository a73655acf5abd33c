// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the kernel audit guardian's messages and its ledger of what to undo. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/guardian_ledger.h"
#include "audit/rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A rule as canisterd holds it, built from an auditctl line. */
static struct canister_audit_rule rule_of(const char *line)
{
	struct canister_audit_rule rule;
	char why[256] = "";

	if (canister_audit_rule_parse_line(line, 1, &rule, why, sizeof(why)) != 0)
		fail_msg("%s: %s", line, why);
	return rule;
}

/* The message canisterd sends for @op on @rule (NULL: none), as the guardian receives it. */
static size_t message(enum guardian_op op, const struct canister_audit_rule *rule, char *buf,
		      size_t len)
{
	int n = guardian_msg_encode(op, rule ? rule->data : NULL, rule ? rule->list : 0,
				    rule ? rule->action : 0, buf, len);

	assert_true(n > 0);
	return (size_t)n;
}

static void apply(struct guardian_ledger *ledger, enum guardian_op op,
		  const struct canister_audit_rule *rule)
{
	static char buf[GUARDIAN_MSG_MAX];
	size_t n = message(op, rule, buf, sizeof(buf));

	assert_int_equal(guardian_ledger_apply(ledger, buf, n), 0);
}

/* The ledger holds exactly these rules, in this order, each with its count. */
static void expect_rules(const struct guardian_ledger *ledger,
			 const struct canister_audit_rule *rules, const unsigned int *counts,
			 size_t count)
{
	assert_int_equal(ledger->rule_count, count);
	for (size_t i = 0; i < count; i++) {
		const struct guardian_rule *held = &ledger->rules[i];

		assert_int_equal(held->list, rules[i].list);
		assert_int_equal(held->action, rules[i].action);
		assert_int_equal(held->len, sizeof(*rules[i].data) + rules[i].data->buflen);
		/* What the guardian sends the kernel to delete it: the rule, flags being the list.
		 */
		assert_int_equal(held->data->flags, (uint32_t)rules[i].list);
		assert_int_equal(held->data->action, (uint32_t)rules[i].action);
		assert_memory_equal(held->data->mask, rules[i].data->mask,
				    sizeof(held->data->mask));
		assert_memory_equal(held->data->buf, rules[i].data->buf, rules[i].data->buflen);
		assert_int_equal(held->count, counts[i]);
	}
}

static void test_enabled_and_disarm(void **state)
{
	struct guardian_ledger ledger = { 0 };

	assert_true(guardian_ledger_empty(&ledger));
	apply(&ledger, GUARDIAN_OP_ENABLED, NULL);
	assert_true(ledger.enabled_by_canisterd);
	assert_false(guardian_ledger_empty(&ledger));
	assert_false(ledger.disarmed);
	apply(&ledger, GUARDIAN_OP_DISARM, NULL);
	assert_true(ledger.disarmed);
	guardian_ledger_free(&ledger);
}

/*
 * Added, then deleted: nothing to undo.  The flags libaudit sets as it sends
 * (PREPEND for -A) do not make the deletion miss: the kernel ignores them too.
 */
static void test_added_then_deleted(void **state)
{
	struct canister_audit_rule prepended =
		rule_of("-A always,exit -F arch=b64 -S execve -F key=first");
	struct guardian_ledger ledger = { 0 };
	static const unsigned int one[] = { 1 };

	prepended.data->flags = (uint32_t)prepended.list | AUDIT_FILTER_PREPEND;
	apply(&ledger, GUARDIAN_OP_RULE_ADDED, &prepended);
	expect_rules(&ledger, &prepended, one, 1);
	assert_false(guardian_ledger_empty(&ledger));
	/* As audit_delete_rule_data() leaves it. */
	prepended.data->flags = (uint32_t)prepended.list;
	apply(&ledger, GUARDIAN_OP_RULE_DELETED, &prepended);
	assert_true(guardian_ledger_empty(&ledger));
	free(prepended.data);
	guardian_ledger_free(&ledger);
}

/* The same rule added twice (adopted, or in two places) is deleted twice before it leaves. */
static void test_counts_and_order(void **state)
{
	struct canister_audit_rule rules[3] = {
		rule_of("-a always,exit -F arch=b64 -S execve -k one"),
		rule_of("-w /etc/shadow -p wa -k two"),
		rule_of("-a always,exit -F arch=b64 -S uname -k three"),
	};
	struct canister_audit_rule unknown =
		rule_of("-a always,exit -F arch=b64 -S execve -k four");
	struct canister_audit_rule after_two[2] = { rules[0], rules[2] };
	static const unsigned int counts[] = { 2, 1, 1 }, after[] = { 1, 1 };
	struct guardian_ledger ledger = { 0 };

	for (size_t i = 0; i < 3; i++)
		apply(&ledger, GUARDIAN_OP_RULE_ADDED, &rules[i]);
	apply(&ledger, GUARDIAN_OP_RULE_ADDED, &rules[0]);
	expect_rules(&ledger, rules, counts, 3);
	/* Unknown to the ledger (never added, or of another canisterd): ignored. */
	apply(&ledger, GUARDIAN_OP_RULE_DELETED, &unknown);
	expect_rules(&ledger, rules, counts, 3);
	/* The same syscall rule with another key is another rule. */
	assert_int_equal(ledger.rule_count, 3);

	apply(&ledger, GUARDIAN_OP_RULE_DELETED, &rules[1]);
	apply(&ledger, GUARDIAN_OP_RULE_DELETED, &rules[0]);
	expect_rules(&ledger, after_two, after, 2);
	apply(&ledger, GUARDIAN_OP_RULE_DELETED, &rules[0]);
	apply(&ledger, GUARDIAN_OP_RULE_DELETED, &rules[2]);
	assert_true(guardian_ledger_empty(&ledger));
	for (size_t i = 0; i < 3; i++)
		free(rules[i].data);
	free(unknown.data);
	guardian_ledger_free(&ledger);
}

/* Whatever does not parse whole is refused, and the ledger stays as it was. */
static void test_malformed_messages(void **state)
{
	struct canister_audit_rule rule = rule_of("-w /etc/passwd -p wa -k watched");
	struct guardian_ledger ledger = { 0 };
	static const unsigned int one[] = { 1 };
	static char buf[GUARDIAN_MSG_MAX + 16];
	struct guardian_msg header;
	struct audit_rule_data *sent = (void *)(buf + sizeof(header));
	size_t n;

	apply(&ledger, GUARDIAN_OP_RULE_ADDED, &rule);

	n = message(GUARDIAN_OP_ENABLED, NULL, buf, sizeof(buf));
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n - 1), -EBADMSG);
	assert_int_equal(guardian_ledger_apply(&ledger, buf, 0), -EBADMSG);
	/* Bytes after a message that has none. */
	memset(buf + n, 0, 4);
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n + 4), -EBADMSG);
	memcpy(&header, buf, sizeof(header));
	header.rule_len = 4;
	memcpy(buf, &header, sizeof(header));
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n + 4), -EBADMSG);
	header.op = 99;
	header.rule_len = 0;
	memcpy(buf, &header, sizeof(header));
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n), -EBADMSG);
	assert_false(ledger.enabled_by_canisterd);

	/* A rule cut short, one whose buflen says more or less than it carries, too many fields. */
	n = message(GUARDIAN_OP_RULE_DELETED, &rule, buf, sizeof(buf));
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n - 1), -EBADMSG);
	sent->buflen++;
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n), -EBADMSG);
	sent->buflen -= 2;
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n), -EBADMSG);
	sent->buflen++;
	sent->field_count = AUDIT_MAX_FIELDS + 1;
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n), -EBADMSG);
	memcpy(&header, buf, sizeof(header));
	header.rule_len = sizeof(*sent) - 1;
	memcpy(buf, &header, sizeof(header));
	assert_int_equal(guardian_ledger_apply(&ledger, buf, sizeof(header) + sizeof(*sent) - 1),
			 -EBADMSG);
	expect_rules(&ledger, &rule, one, 1);

	/* The intact message still applies. */
	n = message(GUARDIAN_OP_RULE_DELETED, &rule, buf, sizeof(buf));
	assert_int_equal(guardian_ledger_apply(&ledger, buf, n), 0);
	assert_true(guardian_ledger_empty(&ledger));
	free(rule.data);
	guardian_ledger_free(&ledger);
}

static void test_encode_limits(void **state)
{
	struct canister_audit_rule rule = rule_of("-a always,exit -F arch=b64 -S execve -k limits");
	size_t need = sizeof(struct guardian_msg) + sizeof(*rule.data) + rule.data->buflen;
	char buf[GUARDIAN_MSG_MAX];
	uint32_t buflen = rule.data->buflen;

	assert_int_equal(guardian_msg_encode(GUARDIAN_OP_RULE_ADDED, rule.data, rule.list,
					     rule.action, buf, need - 1),
			 -ENOSPC);
	assert_int_equal(guardian_msg_encode(GUARDIAN_OP_RULE_ADDED, rule.data, rule.list,
					     rule.action, buf, need),
			 (int)need);
	assert_int_equal(guardian_msg_encode(GUARDIAN_OP_DISARM, NULL, 0, 0, buf, 15), -ENOSPC);
	assert_int_equal(guardian_msg_encode(GUARDIAN_OP_DISARM, NULL, 0, 0, buf, 16), 16);
	rule.data->buflen = GUARDIAN_RULE_MAX;
	assert_int_equal(guardian_msg_encode(GUARDIAN_OP_RULE_ADDED, rule.data, rule.list,
					     rule.action, buf, sizeof(buf)),
			 -EINVAL);
	rule.data->buflen = buflen;
	free(rule.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enabled_and_disarm),
		cmocka_unit_test(test_added_then_deleted),
		cmocka_unit_test(test_counts_and_order),
		cmocka_unit_test(test_malformed_messages),
		cmocka_unit_test(test_encode_limits),
	};

	return cmocka_run_group_tests_name("guardian_ledger", tests, NULL, NULL);
}
