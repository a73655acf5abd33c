// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: audit rules in the kernel (the host's and the sinks'), over the audit daemon's socket.
 */
#include "audit/kernel_rules.h"

#include "audit/guardian.h"
#include "audit/rules.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <string.h>

static struct {
	/*
	 * A socket of its own, not the audit daemon's: the kernel acknowledges
	 * each rule there, while the CONFIG_CHANGE event of each goes to the
	 * daemon's socket, which canisterd is not reading while it adds rules.
	 */
	int fd;
	const struct canister_audit_rule *host_rules;
	size_t host_count;
	void (*after_adding)(void);
} kr = { .fd = -1 };

int kernel_rules_attach(const struct canister_audit_rule *host_rules, size_t host_count,
			void (*after_adding)(void))
{
	kernel_rules_detach();
	kr.fd = audit_open();
	if (kr.fd < 0)
		return -errno;
	kr.host_rules = host_rules;
	kr.host_count = host_count;
	kr.after_adding = after_adding;
	return 0;
}

void kernel_rules_detach(void)
{
	if (kr.fd >= 0)
		audit_close(kr.fd);
	kr.fd = -1;
	kr.host_rules = NULL;
	kr.host_count = 0;
	kr.after_adding = NULL;
}

bool kernel_rules_attached(void)
{
	return kr.fd >= 0;
}

bool kernel_rules_host_key(const char *key)
{
	for (size_t i = 0; i < kr.host_count; i++)
		if (strcmp(kr.host_rules[i].key, key) == 0)
			return true;
	return false;
}

int kernel_rules_add(struct canister_audit_rule *rules, size_t count, size_t *ret_added, char *why,
		     size_t why_len)
{
	*ret_added = 0;
	if (kr.fd < 0) {
		snprintf(why, why_len, "canisterd is not the audit daemon");
		return -ENOTCONN;
	}
	for (size_t i = 0; i < count; i++) {
		struct canister_audit_rule *rule = &rules[i];
		int flags = rule->list | (rule->prepend ? AUDIT_FILTER_PREPEND : 0);
		int r;

		/* Before: a kill right after the kernel took it must not leave it there. */
		guardian_rule_added(rule);
		r = audit_add_rule_data(kr.fd, rule->data, flags, rule->action);

		/*
		 * EEXIST: a canisterd killed before it could remove its rules left
		 * this one; it is adopted (and removed at stop) rather than refused,
		 * or a crash would keep canisterd from starting again.
		 */
		if (r <= 0 && r != -EEXIST) {
			guardian_rule_deleted(rule);
			snprintf(why, why_len, "line %u: the kernel refused the rule: %s",
				 rule->line, r < 0 ? strerror(-r) : "no answer");
			if (*ret_added && kr.after_adding)
				kr.after_adding();
			return -EINVAL;
		}
		*ret_added = i + 1;
	}
	if (count && kr.after_adding)
		kr.after_adding();
	return 0;
}

void kernel_rules_delete(struct canister_audit_rule *rules, size_t added)
{
	if (kr.fd < 0)
		return;
	while (added > 0) {
		struct canister_audit_rule *rule = &rules[--added];

		audit_delete_rule_data(kr.fd, rule->data, rule->list, rule->action);
		guardian_rule_deleted(rule);
	}
}
