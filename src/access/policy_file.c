// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reads an access policy file that only its owner could have written. */
#include "access/policy.h"

#include "lib/trusted_file.h"

#include <stdlib.h>

int canister_access_policy_load(const char *path, struct canister_access_policy **ret_policy,
				char *why, size_t why_len)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	/* As an IMA policy or a certificate: a symlink or a file others may write is refused. */
	r = canister_read_trusted_named_file(path, "policy file", CANISTER_ACCESS_FILE_MAX, &text,
					     &len, why, why_len);
	if (r < 0)
		return r;
	r = canister_access_policy_parse(text, len, path, ret_policy, why, why_len);
	free(text);
	return r;
}
