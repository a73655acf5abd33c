// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_tpm_choice_parse() on arbitrary bytes, with its invariants.
 */
#include "lib/tpm_choice.h"

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

/* One parse of @data as a word (@file false) or as the saved file, with its invariants. */
static void one(const uint8_t *data, size_t size, bool file)
{
	enum canister_tpm_choice choice = (enum canister_tpm_choice)7;
	char why[128] = "";
	const char *name;
	size_t word = file ? size - 1 : size;
	int r;

	r = file ? canister_tpm_choice_parse_file((const char *)data, size, &choice, why,
						  sizeof(why))
		 : canister_tpm_choice_parse((const char *)data, size, &choice, why, sizeof(why));
	if (r == 0) {
		/* Accepted: the word (and, for the file, one newline), nothing else. */
		name = canister_tpm_choice_name(choice);
		if (!name)
			broken("accepted a choice out of range", "");
		if ((file && (size == 0 || data[size - 1] != '\n')) || word != strlen(name) ||
		    memcmp(data, name, word) != 0)
			broken("accepted something other than a choice", name);
		return;
	}
	if (r != -EINVAL)
		broken("refused with another errno than EINVAL", why);
	if (choice != (enum canister_tpm_choice)7)
		broken("the choice was written on an error", why);
	if (!memchr(why, '\0', sizeof(why)) || !why[0])
		broken("no NUL-terminated message", why);
	for (const char *p = why; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			broken("the message is not printable", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, false);
	one(data, size, true);
	return 0;
}
