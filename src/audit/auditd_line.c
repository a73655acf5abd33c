// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: one line of auditd's plugin feed (format = string) as the kernel's message. */
#include "audit/auditd_line.h"

#include <errno.h>
#include <libaudit.h>
#include <stdbool.h>
#include <string.h>

/* Longer than any name libaudit gives (the longest is about 25). */
#define TYPE_NAME_MAX 48

static bool parse_u64(const char *text, size_t len, uint64_t *ret)
{
	uint64_t value = 0;

	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned int digit = (unsigned int)(text[i] - '0');

		if (text[i] < '0' || text[i] > '9' || value > (UINT64_MAX - digit) / 10)
			return false;
		value = value * 10 + digit;
	}
	*ret = value;
	return true;
}

/* "UNKNOWN[N]" as auditd writes a type libaudit has no name for. */
static int unknown_type(const char *name, size_t len)
{
	uint64_t type;

	if (len < 10 || memcmp(name, "UNKNOWN[", 8) != 0 || name[len - 1] != ']' ||
	    !parse_u64(name + 8, len - 9, &type) || type < 1 || type > 0xffff)
		return -1;
	return (int)type;
}

static int type_of(const char *name, size_t len)
{
	char copy[TYPE_NAME_MAX + 1];
	int type;

	if (len == 0 || len > TYPE_NAME_MAX)
		return -1;
	type = unknown_type(name, len);
	if (type > 0)
		return type;
	memcpy(copy, name, len);
	copy[len] = '\0';
	type = audit_name_to_msg_type(copy);
	return type >= 1 && type <= 0xffff ? type : -1;
}

int auditd_line_parse(const char *line, size_t len, struct auditd_line *ret)
{
	const char *p = line, *end, *name, *space, *interp;
	size_t prefix = strlen(AUDITD_LINE_RELAY_LOST);
	int type;

	if (!line)
		return -EINVAL;
	if (len && line[len - 1] == '\n')
		len--;
	if (memchr(line, '\0', len))
		return -EINVAL;
	end = line + len;
	if (len > prefix && memcmp(line, AUDITD_LINE_RELAY_LOST, prefix) == 0) {
		uint64_t lost;

		if (!parse_u64(line + prefix, len - prefix, &lost))
			return -EINVAL;
		*ret = (struct auditd_line){ .kind = AUDITD_LINE_LOST, .lost = lost };
		return 0;
	}
	/* auditd's name_format: the node is canisterd's own setting to write, not auditd's. */
	if ((size_t)(end - p) > 5 && memcmp(p, "node=", 5) == 0) {
		space = memchr(p + 5, ' ', (size_t)(end - p - 5));
		if (!space || space == p + 5)
			return -EINVAL;
		p = space + 1;
	}
	if ((size_t)(end - p) < 5 || memcmp(p, "type=", 5) != 0)
		return -EINVAL;
	name = p + 5;
	space = memchr(name, ' ', (size_t)(end - name));
	if (!space || (size_t)(end - space) < 5 || memcmp(space, " msg=", 5) != 0)
		return -EINVAL;
	type = type_of(name, (size_t)(space - name));
	if (type < 0)
		return -EINVAL;
	p = space + 5;
	/* log_format = ENRICHED: the kernel's text ends where auditd's interpretation starts. */
	interp = memchr(p, AUDIT_INTERP_SEPARATOR, (size_t)(end - p));
	if (interp)
		end = interp;
	*ret = (struct auditd_line){
		.kind = AUDITD_LINE_RECORD,
		.type = type,
		.body = p,
		.body_len = (size_t)(end - p),
	};
	return 0;
}
