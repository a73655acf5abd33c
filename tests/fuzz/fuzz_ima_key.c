// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_ima_key_parse() on arbitrary bytes (DER and PEM
 * certificates). */
#include "integrity/ima_keys.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *why)
{
	fprintf(stderr, "invariant broken: %s (why \"%s\")\n", what, why);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_ima_keyring ring = { 0 };
	struct canister_ima_key key;
	char why[512];
	int r;

	memset(&key, 0xa5, sizeof(key));
	memset(why, 'x', sizeof(why));
	r = canister_ima_key_parse(data, size, "cert", &key, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -ENOMEM)
			broken("undocumented errno", why);
		if (!memchr(why, '\0', sizeof(why)))
			broken("reason not NUL-terminated", "");
		for (const char *p = why; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				broken("reason has a control or non-ASCII byte", why);
		if (strncmp(why, "cert: ", 6) != 0)
			broken("reason does not name the source", why);
		if (((uint8_t *)&key)[0] != 0xa5)
			broken("key written on error", why);
		return 0;
	}
	if (!key.pkey)
		broken("taken without a public key", "");
	if (strncmp(key.description, "RSA ", 4) != 0 &&
	    strcmp(key.description, "ECDSA P-256") != 0 &&
	    strcmp(key.description, "ECDSA P-384") != 0)
		broken("a key of a kind that is not taken", key.description);
	for (const char *p = key.subject; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			broken("subject has a control or non-ASCII byte", key.subject);
	if (canister_ima_keyring_add(&ring, &key) != 0 ||
	    !canister_ima_keyring_find(&ring, ring.keys[0].keyid))
		broken("a key taken is not found by its id", key.description);
	canister_ima_keyring_free(&ring);
	return 0;
}
