/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the kernel audit guardian's messages, and its ledger of what canisterd must undo. */
#ifndef CANISTERD_GUARDIAN_LEDGER_H
#define CANISTERD_GUARDIAN_LEDGER_H

#include <linux/audit.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * canisterd tells its guardian, one message per change, what it changed in
 * the kernel's audit state; the guardian keeps the ledger and, should
 * canisterd die without disarming it, undoes what the ledger holds.  Both
 * ends are the same binary: the layout is not an ABI.
 */
enum guardian_op {
	/* canisterd turns auditing on (it was off): turn it off again. */
	GUARDIAN_OP_ENABLED = 1,
	/* canisterd adds (or adopts) the rule that follows: delete it. */
	GUARDIAN_OP_RULE_ADDED,
	/* canisterd deleted it, or gave up on adding it: nothing to undo. */
	GUARDIAN_OP_RULE_DELETED,
	/* canisterd restored everything itself (a clean stop): undo nothing, and exit. */
	GUARDIAN_OP_DISARM,
};

/*
 * One message.  A RULE_* message is followed by the rule as the kernel takes
 * it (struct audit_rule_data and its @buflen bytes of strings, keys and
 * paths): all a deletion needs, since the kernel finds a rule to delete by
 * its list, action, fields, values, syscall mask and strings.
 */
struct guardian_msg {
	uint32_t op;	   /* enum guardian_op */
	int32_t list;	   /* AUDIT_FILTER_EXIT etc., without AUDIT_FILTER_PREPEND */
	int32_t action;	   /* AUDIT_ALWAYS or AUDIT_NEVER */
	uint32_t rule_len; /* bytes after the header: 0, or the rule's size */
};
_Static_assert(sizeof(struct guardian_msg) == 16, "the header has no padding");

/* The largest rule a message carries: the kernel's own bound on a rule's strings is lower. */
#define GUARDIAN_RULE_MAX (64 * 1024)
#define GUARDIAN_MSG_MAX (sizeof(struct guardian_msg) + GUARDIAN_RULE_MAX)

/* A rule to delete: as the kernel compares them, PREPEND aside. */
struct guardian_rule {
	int list;
	int action;
	struct audit_rule_data *data; /* malloc'd, flags = list, action = action */
	size_t len;
	unsigned int count; /* added that many times more than deleted */
};

struct guardian_ledger {
	bool enabled_by_canisterd;
	bool disarmed;
	struct guardian_rule *rules; /* in the order they were first added */
	size_t rule_count, rule_cap;
};

/*
 * guardian_msg_encode() - the message for @op (and @data, @list, @action
 * for the RULE_* ops; NULL and 0 otherwise) into @buf.  Returns its length,
 * or -EINVAL (a rule whose buflen does not fit GUARDIAN_RULE_MAX) or
 * -ENOSPC (@buf_len too small).
 */
int guardian_msg_encode(enum guardian_op op, const struct audit_rule_data *data, int list,
			int action, void *buf, size_t buf_len);

/*
 * guardian_ledger_apply() - apply one message as received.  A rule added
 * twice (the same rule from two places, or adopted twice) must be deleted
 * twice before it leaves the ledger; a deletion of a rule the ledger does
 * not hold is ignored.
 *
 * Returns 0, or:
 *   -EBADMSG  shorter than its header, an unknown op, a rule_len that is not
 *             the rule's own size (header, fields and buflen), a field_count
 *             above AUDIT_MAX_FIELDS, or bytes after a message that has none
 *   -ENOMEM
 * The ledger is unchanged on error.
 */
int guardian_ledger_apply(struct guardian_ledger *ledger, const void *msg, size_t len);

/* guardian_ledger_empty() - nothing to undo. */
bool guardian_ledger_empty(const struct guardian_ledger *ledger);

void guardian_ledger_free(struct guardian_ledger *ledger);

#endif
