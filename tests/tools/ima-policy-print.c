// SPDX-License-Identifier: GPL-2.0-only
/* canister test tool: prints an IMA policy file as canister's printer writes it (the VM compares it
 * with the kernel's). */
#include "integrity/ima_policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Usage: ima-policy-print FILE; the text as /sys/kernel/security/ima/policy would show it, or the
 * parser's message and exit 1. */
int main(int argc, char **argv)
{
	struct canister_ima_policy *policy;
	char why[512], *text = NULL;
	size_t len = 0, size = 0;
	FILE *f;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "re");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	/* Any file will do: the ownership checks of canister_ima_policy_load() are not under test.
	 */
	for (;;) {
		char *grown;
		size_t got;

		if (len == size) {
			size = size ? size * 2 : 4096;
			grown = realloc(text, size);
			if (!grown)
				return 2;
			text = grown;
		}
		got = fread(text + len, 1, size - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);
	r = canister_ima_policy_parse(text ? text : "", len, argv[1], &policy, why, sizeof(why));
	free(text);
	if (r < 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	size = canister_ima_policy_print(policy, NULL, 0) + 1;
	text = malloc(size);
	if (!text)
		return 2;
	canister_ima_policy_print(policy, text, size);
	fputs(text, stdout);
	free(text);
	canister_ima_policy_free(policy);
	return 0;
}
