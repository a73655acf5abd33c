// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: the grants file (access_grants_parse()) and `--as M:V`, invariants.
 */
#include "access/grant_parse.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *why)
{
	fprintf(stderr, "invariant broken: %s (%s)\n", what, why);
	abort();
}

static void message_ok(const char *why, size_t room)
{
	if (!memchr(why, '\0', room) || !why[0])
		broken("no NUL-terminated message", why);
	for (const char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			broken("a control character in the message", why);
}

/* A file that parses prints to a file that parses to the same grants, and prints the same. */
static void file(const uint8_t *data, size_t size)
{
	static struct access_grant first[ACCESS_GRANTS_MAX], second[ACCESS_GRANTS_MAX];
	size_t count = 0, again = 0, len, len2;
	char why[512] = "", *text, *text2;
	int r = access_grants_parse((const char *)data, size, "grants", first, &count, why,
				    sizeof(why));

	if (r < 0) {
		if (r != -EINVAL)
			broken("refused with another errno than EINVAL", why);
		message_ok(why, sizeof(why));
		return;
	}
	if (count > ACCESS_GRANTS_MAX)
		broken("more grants than the limit", "");
	for (size_t i = 0; i < count; i++) {
		if (!first[i].holder || (first[i].credential && first[i].holder == first[i].target))
			broken("accepted a grant to container 0 or to itself", "");
		for (size_t j = 0; j < i; j++)
			if (access_grant_same(&first[i], &first[j]))
				broken("accepted the same grant twice", "");
	}
	if (access_grants_format(first, count, &text, &len) < 0)
		abort();
	if (access_grants_parse(text, len, "grants", second, &again, why, sizeof(why)) < 0)
		broken("what was printed does not parse", why);
	if (again != count)
		broken("another number of grants read back", text);
	for (size_t i = 0; i < count; i++)
		if (!access_grant_same(&first[i], &second[i]) ||
		    first[i].granted != second[i].granted ||
		    first[i].holder_registered != second[i].holder_registered ||
		    first[i].target_registered != second[i].target_registered)
			broken("another grant read back", text);
	if (access_grants_format(second, again, &text2, &len2) < 0)
		abort();
	if (len2 != len || memcmp(text, text2, len) != 0)
		broken("printed twice, two texts", text);
	free(text);
	free(text2);
}

/* `--as M:V`: accepted only as a contid (not 0) and a uid that print back to the same text. */
static void as(const uint8_t *data, size_t size)
{
	char text[64], printed[64], why[256] = "";
	uint64_t contid = 0;
	uint32_t uid = 0;

	if (size >= sizeof(text) || memchr(data, '\0', size))
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	if (access_grant_parse_as(text, &contid, &uid, why, sizeof(why)) < 0) {
		message_ok(why, sizeof(why));
		return;
	}
	snprintf(printed, sizeof(printed), "%llu:%u", (unsigned long long)contid, uid);
	if (!contid || contid == UINT64_MAX || uid == UINT32_MAX || strcmp(printed, text) != 0)
		broken("accepted an --as that is not one spelling of M:V", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	file(data, size);
	as(data, size);
	return 0;
}
