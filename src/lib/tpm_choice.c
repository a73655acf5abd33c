// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: whether a container has a TPM of its own (integrity_tpm), one spelling everywhere. */
#include "lib/tpm_choice.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* What the error shows of a wrong word: enough to recognise it, never a whole file. */
#define QUOTED_MAX 32

static const char *const names[] = {
	[CANISTER_TPM_NONE] = "none",
	[CANISTER_TPM_SWTPM] = "swtpm",
};

const char *canister_tpm_choice_name(enum canister_tpm_choice choice)
{
	if ((size_t)choice >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[choice];
}

int canister_tpm_choice_parse(const char *text, size_t len, enum canister_tpm_choice *ret_choice,
			      char *why, size_t why_len)
{
	char quoted[QUOTED_MAX + 1];
	size_t shown;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (len == strlen(names[i]) && memcmp(text, names[i], len) == 0) {
			*ret_choice = (enum canister_tpm_choice)i;
			return 0;
		}
	}
	/* The caller's bytes may be anything (a file, a wire member): shown printable only. */
	shown = len < QUOTED_MAX ? len : QUOTED_MAX;
	for (size_t i = 0; i < shown; i++)
		quoted[i] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '?';
	quoted[shown] = '\0';
	snprintf(why, why_len, "'%s%s' is no TPM choice (none or swtpm)", quoted,
		 len > shown ? "..." : "");
	return -EINVAL;
}

int canister_tpm_choice_parse_file(const char *text, size_t len,
				   enum canister_tpm_choice *ret_choice, char *why, size_t why_len)
{
	if (len == 0 || text[len - 1] != '\n') {
		snprintf(why, why_len,
			 "does not end in a newline (a word and a newline: none or swtpm)");
		return -EINVAL;
	}
	return canister_tpm_choice_parse(text, len - 1, ret_choice, why, why_len);
}
