// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: which audit sinks take a kernel event, from what its records show. */
#include "audit/route.h"

#include "audit/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The value of " NAME=" in @record, up to the next space; false when absent
 * or longer than @len allows.  The kernel hex-encodes any value holding a
 * space, so a value cannot hide a " NAME=" of its own.
 */
static bool field_value(const char *record, const char *name, char *buf, size_t len)
{
	char needle[32];
	const char *at;
	size_t n;

	snprintf(needle, sizeof(needle), " %s=", name);
	at = strstr(record, needle);
	if (!at)
		return false;
	at += strlen(needle);
	n = strcspn(at, " ");
	if (n >= len)
		return false;
	memcpy(buf, at, n);
	buf[n] = '\0';
	return true;
}

static bool parse_unsigned(const char *text, int base, unsigned long *ret)
{
	char *end;

	if (!text[0] || text[0] == '-' || text[0] == '+')
		return false;
	*ret = strtoul(text, &end, base);
	return *end == '\0';
}

void canister_syscall_facts_read(const char *const *records, size_t count,
				 struct canister_syscall_facts *ret)
{
	char arch[32], nr[32], success[8], key[AUDIT_MAX_KEY_LEN + 3];
	unsigned long arch_value, nr_value;

	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < count; i++) {
		const char *record = records[i];
		size_t key_len;

		if (strncmp(record, "type=SYSCALL ", 13) != 0)
			continue;
		if (field_value(record, "arch", arch, sizeof(arch)) &&
		    field_value(record, "syscall", nr, sizeof(nr)) &&
		    parse_unsigned(arch, 16, &arch_value) && arch_value <= UINT32_MAX &&
		    parse_unsigned(nr, 10, &nr_value) && nr_value <= UINT32_MAX) {
			ret->present = true;
			ret->arch = (uint32_t)arch_value;
			ret->nr = (unsigned int)nr_value;
		}
		ret->success = field_value(record, "success", success, sizeof(success)) &&
			       strcmp(success, "yes") == 0;
		/* key="k" for one plain key; (null) or hex for none or several. */
		if (field_value(record, "key", key, sizeof(key)) && key[0] == '"' &&
		    (key_len = strlen(key)) >= 2 && key[key_len - 1] == '"') {
			memcpy(ret->key, key + 1, key_len - 2);
			ret->key[key_len - 2] = '\0';
		}
		return;
	}
}

static bool chain_holds(const struct canister_route *route, uint64_t contid)
{
	for (unsigned int i = 0; i < route->depth; i++)
		if (route->chain[i] == contid)
			return true;
	return false;
}

bool canister_sink_takes(uint64_t sink_contid, const struct canister_audit_rule *rules,
			 size_t rule_count, const struct canister_route *route)
{
	const struct canister_syscall_facts *facts = route->facts;

	if (!chain_holds(route, sink_contid))
		return false;
	if (route->owned)
		return route->owner == sink_contid;
	if (rule_count == 0)
		return true;
	if (!facts->present)
		return false;
	for (size_t i = 0; i < rule_count; i++)
		if (canister_audit_rule_matches_syscall(&rules[i], facts->arch, facts->nr,
							facts->success))
			return true;
	return false;
}
