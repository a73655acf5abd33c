// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the kernel audit guardian's messages, and its ledger of what canisterd must undo. */
#include "audit/guardian_ledger.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int guardian_msg_encode(enum guardian_op op, const struct audit_rule_data *data, int list,
			int action, void *buf, size_t buf_len)
{
	struct guardian_msg header = { .op = op, .list = list, .action = action };
	size_t rule_len = 0;

	if (data) {
		if (data->buflen > GUARDIAN_RULE_MAX - sizeof(*data))
			return -EINVAL;
		rule_len = sizeof(*data) + data->buflen;
	}
	if (buf_len < sizeof(header) + rule_len)
		return -ENOSPC;
	header.rule_len = (uint32_t)rule_len;
	memcpy(buf, &header, sizeof(header));
	if (rule_len)
		memcpy((char *)buf + sizeof(header), data, rule_len);
	return (int)(sizeof(header) + rule_len);
}

/*
 * What the kernel compares to find a rule to delete is all in the rule but
 * the flags' PREPEND bit, which libaudit sets as it sends: a copy with
 * flags and action made the same compares with memcmp().
 */
static int rule_of(const struct guardian_msg *header, const void *bytes,
		   struct audit_rule_data **ret_data)
{
	const struct audit_rule_data *sent = bytes;
	struct audit_rule_data *copy;

	if (header->rule_len < sizeof(*sent) || sent->field_count > AUDIT_MAX_FIELDS ||
	    header->rule_len != sizeof(*sent) + (size_t)sent->buflen)
		return -EBADMSG;
	copy = malloc(header->rule_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, bytes, header->rule_len);
	copy->flags = (uint32_t)header->list;
	copy->action = (uint32_t)header->action;
	*ret_data = copy;
	return 0;
}

static struct guardian_rule *find(struct guardian_ledger *ledger, int list, int action,
				  const struct audit_rule_data *data, size_t len)
{
	for (size_t i = 0; i < ledger->rule_count; i++) {
		struct guardian_rule *rule = &ledger->rules[i];

		if (rule->list == list && rule->action == action && rule->len == len &&
		    memcmp(rule->data, data, len) == 0)
			return rule;
	}
	return NULL;
}

static int add(struct guardian_ledger *ledger, int list, int action, struct audit_rule_data *data,
	       size_t len)
{
	struct guardian_rule *rule = find(ledger, list, action, data, len);

	if (rule) {
		rule->count++;
		free(data);
		return 0;
	}
	if (ledger->rule_count == ledger->rule_cap) {
		size_t cap = ledger->rule_cap ? 2 * ledger->rule_cap : 16;
		struct guardian_rule *bigger = realloc(ledger->rules, cap * sizeof(*bigger));

		if (!bigger) {
			free(data);
			return -ENOMEM;
		}
		ledger->rules = bigger;
		ledger->rule_cap = cap;
	}
	ledger->rules[ledger->rule_count++] = (struct guardian_rule){
		.list = list, .action = action, .data = data, .len = len, .count = 1
	};
	return 0;
}

static void delete (struct guardian_ledger *ledger, int list, int action,
		    struct audit_rule_data *data, size_t len)
{
	struct guardian_rule *rule = find(ledger, list, action, data, len);

	free(data);
	if (!rule || --rule->count > 0)
		return;
	free(rule->data);
	/* In order: the guardian deletes the last added first, as canisterd does. */
	memmove(rule, rule + 1, (ledger->rules + ledger->rule_count - (rule + 1)) * sizeof(*rule));
	ledger->rule_count--;
}

int guardian_ledger_apply(struct guardian_ledger *ledger, const void *msg, size_t len)
{
	struct guardian_msg header;
	struct audit_rule_data *data;
	int r;

	if (len < sizeof(header))
		return -EBADMSG;
	memcpy(&header, msg, sizeof(header));
	if (header.rule_len != len - sizeof(header))
		return -EBADMSG;
	switch (header.op) {
	case GUARDIAN_OP_ENABLED:
	case GUARDIAN_OP_DISARM:
		if (header.rule_len)
			return -EBADMSG;
		if (header.op == GUARDIAN_OP_ENABLED)
			ledger->enabled_by_canisterd = true;
		else
			ledger->disarmed = true;
		return 0;
	case GUARDIAN_OP_RULE_ADDED:
	case GUARDIAN_OP_RULE_DELETED:
		r = rule_of(&header, (const char *)msg + sizeof(header), &data);
		if (r < 0)
			return r;
		if (header.op == GUARDIAN_OP_RULE_ADDED)
			return add(ledger, header.list, header.action, data, header.rule_len);
		delete (ledger, header.list, header.action, data, header.rule_len);
		return 0;
	}
	return -EBADMSG;
}

bool guardian_ledger_empty(const struct guardian_ledger *ledger)
{
	return !ledger->enabled_by_canisterd && ledger->rule_count == 0;
}

void guardian_ledger_free(struct guardian_ledger *ledger)
{
	for (size_t i = 0; i < ledger->rule_count; i++)
		free(ledger->rules[i].data);
	free(ledger->rules);
	*ledger = (struct guardian_ledger){ 0 };
}
