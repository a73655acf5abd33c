// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: the record of canisterd's pins, joined from its parts and parsed. */
#include "core/pin_record.h"
#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is the parts as pins_verify() reads them, one a line (a line
 * "-" stands for a part that is not there); each part's text a record's
 * bytes, so that the parser sees what a root who rewrote the symlinks could
 * put there.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char joined[PIN_RECORD_MAX + 1], again[PIN_RECORD_MAX + 1];
	static struct pin_entry entries[512], back[512];
	const char *parts[PIN_RECORD_PARTS + 1];
	size_t lens[PIN_RECORD_PARTS + 1], count = 0, total = 0;
	const char *p = (const char *)data, *end = p + size;
	char why[256];
	int len, n;

	while (p <= end && count < PIN_RECORD_PARTS + 1) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t part_len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		parts[count] = part_len == 1 && *p == '-' ? NULL : p;
		lens[count] = parts[count] ? part_len : 0;
		total += lens[count];
		count++;
		if (!nl)
			break;
		p = nl + 1;
	}
	why[0] = '\0';
	len = pin_record_join(parts, lens, count, joined, sizeof(joined), why, sizeof(why));
	if (len < 0) {
		if (len != -ENOENT && len != -EINVAL && len != -ENOSPC)
			broken("join: an error it does not document", why);
		if (!why[0] || !memchr(why, '\0', sizeof(why)))
			broken("join: a refusal without a reason", why);
		return 0;
	}
	if ((size_t)len != total || strlen(joined) != (size_t)len)
		broken("join: a text of another length than its parts'", why);

	n = pin_record_parse(joined, entries, 512);
	if (n < 0) {
		if (n != -EINVAL && n != -E2BIG)
			broken("parse: an error it does not document", joined);
		return 0;
	}
	/* What parses formats again, and parses again to the same entries. */
	len = pin_record_format(entries, (size_t)n, again, sizeof(again));
	if (len < 0)
		broken("format: refused entries the parser accepted", joined);
	if (pin_record_parse(again, back, 512) != n)
		broken("parse: another count after a format", again);
	for (int i = 0; i < n; i++)
		if (strcmp(back[i].name, entries[i].name) || back[i].kind != entries[i].kind ||
		    back[i].id != entries[i].id)
			broken("parse: another entry after a format", back[i].name);
	return 0;
}
