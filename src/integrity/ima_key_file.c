// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reads an appraisal certificate file that only canisterd's own user could have written.
 */
#include "integrity/ima_keys.h"

#include "lib/trusted_file.h"

#include <stdlib.h>

int canister_ima_key_load(const char *path, struct canister_ima_key *ret_key, char *why,
			  size_t why_len)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	/* Whoever can replace the certificate decides what the container may run. */
	r = canister_read_trusted_named_file(path, "certificate file", CANISTER_IMA_KEY_FILE_MAX,
					     &text, &len, why, why_len);
	if (r < 0)
		return r;
	r = canister_ima_key_parse((const uint8_t *)text, len, path, ret_key, why, why_len);
	free(text);
	return r;
}
