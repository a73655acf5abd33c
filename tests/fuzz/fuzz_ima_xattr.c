// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_ima_xattr_parse() on arbitrary bytes, and the verdict on
 * what it takes. */
#include "integrity/ima_verify.h"
#include "integrity/ima_xattr.h"

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

static void check_line(const char *why, size_t why_size, const char *prefix)
{
	if (!memchr(why, '\0', why_size))
		broken("reason not NUL-terminated", "");
	for (const char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			broken("reason has a control or non-ASCII byte", why);
	if (strncmp(why, prefix, strlen(prefix)) != 0)
		broken("reason does not start as it should", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct canister_ima_keyring empty;
	struct canister_ima_xattr xattr;
	struct canister_ima_verdict verdict;
	uint8_t digest[CANISTER_IMA_XATTR_DIGEST_MAX] = { 0 };
	char why[512];
	int r;

	memset(&xattr, 0xa5, sizeof(xattr));
	memset(why, 'x', sizeof(why));
	r = canister_ima_xattr_parse(data, size, &xattr, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -EOPNOTSUPP)
			broken("undocumented errno", why);
		check_line(why, sizeof(why), "security.ima: ");
		if (((uint8_t *)&xattr)[0] != 0xa5)
			broken("value written on error", why);
		return 0;
	}

	/* What is taken accounts for every byte: nothing before, between or after. */
	if (!xattr.algo || xattr.algo->size > CANISTER_IMA_XATTR_DIGEST_MAX)
		broken("taken without a known algorithm", "");
	if (xattr.kind == CANISTER_IMA_XATTR_KIND_HASH) {
		size_t start = data[0] == CANISTER_IMA_XATTR_DIGEST ? 1 : 2;

		if (xattr.digest != data + start || start + xattr.algo->size != size)
			broken("hash value does not span the value", "");
	} else {
		if (data[0] != CANISTER_IMA_XATTR_DIGSIG || data[1] != 2 || !xattr.algo->signable)
			broken("signature of another type, version or algorithm", "");
		if (xattr.sig != data + CANISTER_IMA_SIG_V2_HEADER || xattr.sig_len == 0 ||
		    CANISTER_IMA_SIG_V2_HEADER + (size_t)xattr.sig_len != size)
			broken("signature does not span the value", "");
	}

	/* With no keys, no signature passes; a hash value passes only on its own digest. */
	canister_ima_verify_digest(&empty, &xattr, digest, false, &verdict);
	check_line(verdict.why, sizeof(verdict.why), "");
	if (xattr.kind == CANISTER_IMA_XATTR_KIND_SIGNATURE &&
	    (verdict.pass || verdict.reason != CANISTER_IMA_FAIL_UNKNOWN_KEY))
		broken("a signature passed with no keys", verdict.why);
	if (xattr.kind == CANISTER_IMA_XATTR_KIND_HASH &&
	    verdict.pass != (memcmp(xattr.digest, digest, xattr.algo->size) == 0))
		broken("a hash value's verdict is not its comparison", verdict.why);
	canister_ima_verify_digest(&empty, &xattr, xattr.digest ? xattr.digest : digest, true,
				   &verdict);
	if (verdict.pass)
		broken("passed with no keys where a signature is required", verdict.why);
	return 0;
}
