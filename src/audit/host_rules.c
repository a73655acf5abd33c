// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the host's audit rules file (audit_rules): what canisterd accepts, and its contid
 * filters. */
#include "audit/host_rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check(const struct canister_audit_rule *rules, size_t count, const char *path, char *why,
		 size_t why_len)
{
	for (size_t i = 0; i < count; i++) {
		const struct canister_audit_rule *rule = &rules[i];

		if (rule->kind != CANISTER_RULE_KERNEL) {
			snprintf(why, why_len,
				 "%s:%u: canisterd loads rules only; -D and kernel-wide settings "
				 "(-e, -b, -f, -r) stay auditctl's",
				 path, rule->line);
			return -EINVAL;
		}
		if (rule->contid.kind == CONTID_ANY)
			continue;
		if (!canister_audit_key_is_plain(rule->key)) {
			snprintf(why, why_len,
				 "%s:%u: a rule with a contid filter needs one -k key of plain "
				 "characters, by which its events are recognised",
				 path, rule->line);
			return -EINVAL;
		}
		for (size_t j = 0; j < count; j++)
			if (j != i && canister_audit_rules_select_alike(&rules[j], rule)) {
				const struct canister_audit_rule *first = j < i ? &rules[j] : rule;
				const struct canister_audit_rule *later = j < i ? rule : &rules[j];

				snprintf(why, why_len,
					 "%s:%u: selects the same events as line %u, and the "
					 "kernel reports them under line %u's key only: a contid "
					 "filter on either would decide for both; make the rules "
					 "differ in a field",
					 path, later->line, first->line, first->line);
				return -EINVAL;
			}
		/*
		 * Before it or after it, another rule's events with its key would
		 * be filtered as its own.  A later filtered rule names this one.
		 */
		for (size_t j = 0; j < count; j++)
			if (j != i && rules[j].kind == CANISTER_RULE_KERNEL &&
			    !(j > i && rules[j].contid.kind != CONTID_ANY) &&
			    strcmp(rules[j].key, rule->key) == 0) {
				snprintf(why, why_len,
					 "%s:%u: key \"%s\" is also line %u's; a rule with a "
					 "contid filter needs a key of its own",
					 path, rule->line, rule->key, rules[j].line);
				return -EINVAL;
			}
	}
	return 0;
}

static int index_filtered_keys(struct audit_host_rules *host)
{
	if (!hcreate_r(host->count * 2 + 1, &host->filtered_keys))
		return -ENOMEM;
	host->filtered_keys_made = true;
	for (size_t i = 0; i < host->count; i++) {
		ENTRY entry = { .key = host->rules[i].key, .data = (void *)i }, *added;

		if (host->rules[i].contid.kind == CONTID_ANY)
			continue;
		if (!hsearch_r(entry, ENTER, &added, &host->filtered_keys))
			return -ENOMEM;
	}
	return 0;
}

int audit_host_rules_parse(const char *text, size_t len, const char *path,
			   struct audit_host_rules *ret, char *why, size_t why_len)
{
	struct audit_host_rules host = { 0 };
	int r;

	r = canister_audit_rules_parse(text, len, path, &host.rules, &host.count, why, why_len);
	if (r < 0)
		return r;
	r = check(host.rules, host.count, path, why, why_len);
	if (r == 0) {
		r = index_filtered_keys(&host);
		if (r < 0)
			snprintf(why, why_len, "%s: %s", path, strerror(-r));
	}
	if (r < 0) {
		audit_host_rules_free(&host);
		return r;
	}
	*ret = host;
	return 0;
}

bool audit_host_rules_pass(const struct audit_host_rules *host,
			   const struct canister_syscall_facts *facts, const uint64_t *chain,
			   unsigned int depth)
{
	ENTRY query = { .key = (char *)facts->key }, *found = NULL;

	if (!facts->present || !facts->key[0] || !host->filtered_keys_made)
		return true;
	if (!hsearch_r(query, FIND, &found, (struct hsearch_data *)&host->filtered_keys) || !found)
		return true;
	return canister_contid_filter_match(&host->rules[(size_t)found->data].contid, chain, depth);
}

void audit_host_rules_free(struct audit_host_rules *host)
{
	if (host->filtered_keys_made)
		hdestroy_r(&host->filtered_keys);
	canister_audit_rules_free(host->rules, host->count);
	memset(host, 0, sizeof(*host));
}
