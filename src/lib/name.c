// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: which container names an orchestrator may give (UUIDs, OCI ids, hex digests). */
#include "lib/name.h"

#include <canister/canister.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int name_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._:+@-", c) != NULL;
}

int canister_name_check(const char *name, char *why, size_t why_len)
{
	size_t len;

	if (!name || !*name) {
		snprintf(why, why_len, "a container name must not be empty");
		return -EINVAL;
	}
	len = strnlen(name, CANISTER_NAME_MAX + 1);
	if (len > CANISTER_NAME_MAX) {
		snprintf(why, why_len, "a container name has at most %d characters",
			 CANISTER_NAME_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if (!name_char_ok((unsigned char)name[i])) {
			snprintf(why, why_len,
				 "character %zu of the container name is not one of "
				 "[A-Za-z0-9._:+@-]",
				 i + 1);
			return -EINVAL;
		}
	}
	return 0;
}
