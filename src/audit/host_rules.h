/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the host's audit rules file (audit_rules): what canisterd accepts, and its contid
 * filters. */
#ifndef CANISTER_AUDIT_HOST_RULES_H
#define CANISTER_AUDIT_HOST_RULES_H

#include "audit/route.h"
#include "audit/rules.h"

#include <search.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit_host_rules {
	struct canister_audit_rule *rules;
	size_t count;
	/* The rules with a contid filter, by key: one lookup per event however many there are. */
	struct hsearch_data filtered_keys;
	bool filtered_keys_made;
};

/*
 * audit_host_rules_parse() - the rules file @text (@len bytes, named @path
 * in messages), parsed (canister_audit_rules_parse()) and checked for what
 * canisterd can honour, all or nothing.  canisterd adds rules and takes them
 * away again at stop; it does not delete rules it did not add (-D) nor change
 * kernel-wide settings (-e, -b, -f, -r), which stay auditctl's.  A rule with
 * a contid filter reaches the kernel without it; its events are known by the
 * rule's key, so it needs one -k key of plain characters, of its own, and no
 * other rule may select the same events (the kernel would report them under
 * the first one's key only).
 *
 * Returns 0 and fills *@ret, or -EINVAL ("PATH:LINE: reason" in @why) or
 * -ENOMEM; nothing is kept on failure.
 */
int audit_host_rules_parse(const char *text, size_t len, const char *path,
			   struct audit_host_rules *ret, char *why, size_t why_len);

/*
 * audit_host_rules_pass() - does the host keep an event with @facts whose
 * acting process is in @chain (@depth 0: none)?  Yes unless its key is a
 * filtered rule's and the process does not pass that rule's contid filter.
 */
bool audit_host_rules_pass(const struct audit_host_rules *host,
			   const struct canister_syscall_facts *facts, const uint64_t *chain,
			   unsigned int depth);

void audit_host_rules_free(struct audit_host_rules *host);

#endif
