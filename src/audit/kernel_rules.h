/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: audit rules in the kernel (the host's and the sinks'), over the audit daemon's socket.
 */
#ifndef CANISTERD_KERNEL_RULES_H
#define CANISTERD_KERNEL_RULES_H

#include <stdbool.h>
#include <stddef.h>

struct canister_audit_rule;

/*
 * kernel_rules_attach() - canisterd became the audit daemon, with the host's
 * rules @host_rules (their keys are the host's): open the socket rules are
 * added on.  @after_adding runs after each kernel_rules_add() that added
 * any.  Returns 0 or the -errno of audit_open().
 */
int kernel_rules_attach(const struct canister_audit_rule *host_rules, size_t host_count,
			void (*after_adding)(void));

/* kernel_rules_detach() - it stopped being the audit daemon. */
void kernel_rules_detach(void);

/* kernel_rules_attached() - whether canisterd is the kernel's audit daemon now. */
bool kernel_rules_attached(void);

/* kernel_rules_host_key() - whether @key is one of the host's rules' (audit_rules). */
bool kernel_rules_host_key(const char *key);

/*
 * kernel_rules_add() - add @rules to the kernel in order; *ret_added counts
 * those in (to be given to kernel_rules_delete()).  A rule the kernel already
 * holds (EEXIST: left by a canisterd that was killed) is adopted.  Returns 0,
 * or -EINVAL with "line N: the kernel refused the rule: ..." in @why.
 */
int kernel_rules_add(struct canister_audit_rule *rules, size_t count, size_t *ret_added, char *why,
		     size_t why_len);

/* kernel_rules_delete() - take the first @added of @rules out of the kernel, last first. */
void kernel_rules_delete(struct canister_audit_rule *rules, size_t added);

#endif
