// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reads an IMA policy file that only canisterd's own user could have written. */
#include "integrity/ima_policy.h"

#include "lib/trusted_file.h"

#include <stdlib.h>

int canister_ima_policy_load(const char *path, struct canister_ima_policy **ret_policy, char *why,
			     size_t why_len)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	/*
	 * The stance of the house's configuration and of issue 13's certificates:
	 * a symlink or a file others may write is refused, with a message, rather
	 * than followed or trusted.
	 */
	r = canister_read_trusted_named_file(path, "policy file", CANISTER_IMA_POLICY_FILE_MAX,
					     &text, &len, why, why_len);
	if (r < 0)
		return r;
	r = canister_ima_policy_parse(text, len, path, ret_policy, why, why_len);
	free(text);
	return r;
}
