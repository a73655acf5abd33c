// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: which audit records belong to which container, for `canister log`. */
#include "lib/record_match.h"

#include "lib/contid.h"

#include <canister/abi.h>
#include <string.h>

/*
 * Blanks part fields; 0x1d parts the raw fields from those ausearch's enriched
 * format appends; single quotes wrap the fields of a user-space record
 * (msg='op=... contid=4'), which count as much as the kernel's own.
 */
static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x1d' || c == '\'';
}

/* One contid of a chain element, without its ^: decimal, and never the unset value. */
static bool parse_element(const char *text, size_t len, uint64_t *ret_contid)
{
	char number[24];

	if (len == 0 || len >= sizeof(number))
		return false;
	memcpy(number, text, len);
	number[len] = '\0';
	return canister_parse_contid(number, ret_contid) == 0;
}

/*
 * Is @contid an element of the chain @value ("4", "4,^2,^1"; "-1" is none)?
 * CANISTER_CONTID_UNSET asks whether any element is a contid.  A malformed
 * element ends the walk: what follows it cannot be trusted to be an ancestor.
 */
static bool chain_contains(const char *value, size_t len, uint64_t contid)
{
	size_t pos = 0;

	for (bool first = true; pos <= len; first = false) {
		const char *comma = memchr(value + pos, ',', len - pos);
		size_t end = comma ? (size_t)(comma - value) : len;
		const char *element = value + pos;
		size_t element_len = end - pos;
		uint64_t element_contid;

		if (!first) {
			if (element_len == 0 || element[0] != '^')
				return false;
			element++;
			element_len--;
		}
		if (parse_element(element, element_len, &element_contid)) {
			if (contid == CANISTER_CONTID_UNSET || element_contid == contid)
				return true;
		} else if (!first || element_len != 2 || memcmp(element, "-1", 2) != 0) {
			return false;
		}
		pos = end + 1;
	}
	return false;
}

static bool key_is(const char *key, size_t key_len, const char *name)
{
	return key_len == strlen(name) && memcmp(key, name, key_len) == 0;
}

bool canister_record_matches(const char *line, size_t len, uint64_t contid)
{
	size_t pos = 0;

	while (pos < len) {
		const char *word, *equals;
		size_t word_len;

		while (pos < len && is_separator(line[pos]))
			pos++;
		if (pos == len)
			break;
		word = line + pos;
		/* A double-quoted part is one piece, blanks and all: no field hides in it. */
		while (pos < len && !is_separator(line[pos])) {
			if (line[pos] == '"') {
				const char *close = memchr(line + pos + 1, '"', len - pos - 1);

				pos = close ? (size_t)(close - line) + 1 : len;
			} else {
				pos++;
			}
		}
		word_len = (size_t)(line + pos - word);

		equals = memchr(word, '=', word_len);
		if (!equals || memchr(word, '"', (size_t)(equals - word)))
			continue;
		if (!key_is(word, (size_t)(equals - word), "contid") &&
		    !key_is(word, (size_t)(equals - word), "old-contid"))
			continue;
		if (chain_contains(equals + 1, word_len - (size_t)(equals + 1 - word), contid))
			return true;
	}
	return false;
}
