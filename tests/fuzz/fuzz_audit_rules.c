// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_audit_rules_parse() on arbitrary bytes, with its invariants.
 */
#include "audit/rules.h"

#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "fuzz.rules"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parsing builds rules; it must never talk to the kernel, as libaudit would for some fields. */
int audit_open(void);
uint32_t audit_get_features(void);

int audit_open(void)
{
	broken("audit_open() called while parsing", "");
	return -1;
}

uint32_t audit_get_features(void)
{
	broken("audit_get_features() called while parsing", "");
	return 0;
}

static void check_kernel_rule(const struct canister_audit_rule *rule)
{
	const struct audit_rule_data *d = rule->data;
	uint32_t strings = 0, last_key = UINT32_MAX, key_offset = 0, offset = 0;
	bool any_bit = false, all_bits = true;

	if (!d)
		broken("kernel rule without data", "");
	if (d->field_count > AUDIT_MAX_FIELDS - 1)
		broken("more fields than libaudit allows", "");
	if (d->flags != (uint32_t)(rule->list | (rule->prepend ? AUDIT_FILTER_PREPEND : 0)))
		broken("data flags differ from list and prepend", "");
	if (d->action != (uint32_t)rule->action ||
	    (rule->action != AUDIT_ALWAYS && rule->action != AUDIT_NEVER))
		broken("action", "");
	for (uint32_t i = 0; i < d->field_count; i++) {
		switch (d->fields[i]) {
		case AUDIT_SUBJ_USER ... AUDIT_SUBJ_CLR:
		case AUDIT_OBJ_USER ... AUDIT_OBJ_LEV_HIGH:
		case AUDIT_WATCH:
		case AUDIT_DIR:
		case AUDIT_EXE:
		case AUDIT_FILTERKEY:
			if (d->fields[i] == AUDIT_FILTERKEY) {
				last_key = i;
				key_offset = offset;
			}
			offset += d->values[i];
			strings += d->values[i];
			break;
		}
	}
	if (strings != d->buflen)
		broken("string fields do not add up to buflen", "");
	if (rule->key[0]) {
		size_t len = strlen(rule->key);

		if (last_key != d->field_count - 1 || d->values[last_key] != len ||
		    memcmp(d->buf + key_offset, rule->key, len) != 0)
			broken("key is not the rule's last field", rule->key);
		if (len > AUDIT_MAX_KEY_LEN || rule->key[0] == AUDIT_KEY_SEPARATOR ||
		    rule->key[len - 1] == AUDIT_KEY_SEPARATOR)
			broken("key malformed", rule->key);
	} else if (last_key != UINT32_MAX) {
		broken("key field without a key", "");
	}
	for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++) {
		any_bit |= d->mask[i] != 0;
		all_bits &= d->mask[i] == ~0U;
	}
	if (rule->list == AUDIT_FILTER_TASK ? any_bit : !any_bit)
		broken("syscall mask does not fit the list", "");
	if (rule->list != AUDIT_FILTER_TASK && rule->list != AUDIT_FILTER_EXIT && !all_bits)
		broken("a list without syscalls has a partial mask", "");
	if (rule->contid.kind != CONTID_ANY && rule->action == AUDIT_NEVER)
		broken("contid filter on a never rule", "");
	if (rule->contid.kind == CONTID_ANY && rule->contid.negate)
		broken("negated ANY", "");
}

/* The same line, parsed alone, gives the same rule. */
static void check_line_again(const uint8_t *data, size_t size,
			     const struct canister_audit_rule *rule)
{
	struct canister_audit_rule again;
	char line[CANISTER_AUDIT_RULE_LINE_MAX + 1], why[256];
	size_t start = 0, end;
	unsigned int line_no = 1;

	while (line_no < rule->line) {
		const uint8_t *eol = memchr(data + start, '\n', size - start);

		if (!eol)
			broken("rule names a line the input does not have", "");
		start = eol - data + 1;
		line_no++;
	}
	for (end = start; end < size && data[end] != '\n'; end++)
		;
	if (end - start > CANISTER_AUDIT_RULE_LINE_MAX)
		broken("accepted an over-long line", "");
	memcpy(line, data + start, end - start);
	line[end - start] = '\0';
	if (canister_audit_rule_parse_line(line, rule->line, &again, why, sizeof(why)) != 0)
		broken("line refused when parsed alone", why);
	if (again.kind != rule->kind || again.list != rule->list || again.action != rule->action ||
	    again.prepend != rule->prepend || strcmp(again.key, rule->key) != 0 ||
	    memcmp(&again.contid, &rule->contid, sizeof(again.contid)) != 0 ||
	    again.control != rule->control || again.value != rule->value ||
	    (rule->data &&
	     (again.data->buflen != rule->data->buflen ||
	      memcmp(again.data, rule->data, sizeof(*rule->data) + rule->data->buflen) != 0)))
		broken("line parses differently alone", line);
	free(again.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_audit_rule *rules = (void *)0x5a5a, *untouched = rules;
	size_t count = 17;
	unsigned long lines = input_lines(data, size);
	unsigned int previous_line = 0;
	char why[1024];
	int r;

	memset(why, 'x', sizeof(why));
	r = canister_audit_rules_parse((const char *)data, size, SOURCE, &rules, &count, why,
				       sizeof(why));
	if (r < 0) {
		if (r != -EINVAL)
			broken("error other than -EINVAL", why);
		check_line_error(SOURCE, why, sizeof(why), lines);
		if (rules != untouched || count != 17)
			broken("outputs written on error", why);
		return 0;
	}
	if (r != 0)
		broken("positive return", "");
	if ((count == 0) != (rules == NULL) || count > lines)
		broken("rule count", "");
	for (size_t i = 0; i < count; i++) {
		const struct canister_audit_rule *rule = &rules[i];

		if (rule->line <= previous_line || rule->line > lines)
			broken("rule lines not increasing within the input", "");
		previous_line = rule->line;
		if (!memchr(rule->key, '\0', sizeof(rule->key)))
			broken("key not NUL-terminated", "");
		switch (rule->kind) {
		case CANISTER_RULE_KERNEL:
			check_kernel_rule(rule);
			break;
		case CANISTER_RULE_DELETE_ALL:
			if (rule->data)
				broken("-D with data", "");
			break;
		case CANISTER_RULE_CONTROL:
			if (rule->data || rule->control > CANISTER_AUDIT_LOGINUID_IMMUTABLE)
				broken("control", "");
			if ((rule->control == CANISTER_AUDIT_ENABLED ||
			     rule->control == CANISTER_AUDIT_FAILURE) &&
			    rule->value > 2)
				broken("-e or -f beyond 2", "");
			if (rule->control == CANISTER_AUDIT_ENABLED && rule->value == 2 &&
			    i + 1 != count)
				broken("a rule after -e 2", "");
			break;
		default:
			broken("unknown kind", "");
		}
		check_line_again(data, size, rule);
	}
	canister_audit_rules_free(rules, count);
	return 0;
}
