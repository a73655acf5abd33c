// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: appraisal's verdict on a file: its security.ima against its digest and a keyring. */
#include "integrity/ima_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

static const char *const reason_names[] = {
	[CANISTER_IMA_PASS_SIGNED] = "signed",
	[CANISTER_IMA_PASS_HASH] = "hash",
	[CANISTER_IMA_FAIL_NO_XATTR] = "no-xattr",
	[CANISTER_IMA_FAIL_INVALID_XATTR] = "invalid-xattr",
	[CANISTER_IMA_FAIL_UNSUPPORTED] = "unsupported",
	[CANISTER_IMA_FAIL_SIGNATURE_REQUIRED] = "signature-required",
	[CANISTER_IMA_FAIL_HASH_MISMATCH] = "invalid-hash",
	[CANISTER_IMA_FAIL_UNKNOWN_KEY] = "unknown-key",
	[CANISTER_IMA_FAIL_BAD_SIGNATURE] = "invalid-signature",
};

const char *canister_ima_verdict_reason_name(enum canister_ima_verdict_reason reason)
{
	if ((size_t)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "unknown";
	return reason_names[reason];
}

__attribute__((format(printf, 3, 4))) static void decide(struct canister_ima_verdict *verdict,
							 enum canister_ima_verdict_reason reason,
							 const char *fmt, ...)
{
	va_list ap;

	verdict->reason = reason;
	verdict->pass = reason == CANISTER_IMA_PASS_SIGNED || reason == CANISTER_IMA_PASS_HASH;
	va_start(ap, fmt);
	vsnprintf(verdict->why, sizeof(verdict->why), fmt, ap);
	va_end(ap);
}

/* 1 when @sig over @digest verifies with @key, 0 otherwise (OpenSSL's errors included). */
static int signature_verifies(const struct canister_ima_key *key,
			      const struct canister_ima_xattr *xattr, const uint8_t *digest)
{
	const EVP_MD *md = EVP_get_digestbyname(xattr->algo->name);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
	int ok = 0;

	/*
	 * The kernel verifies the bare digest: RSA as "pkcs1" with the hash named
	 * (the DigestInfo of that algorithm inside PKCS#1 v1.5 padding), ECDSA as
	 * "x962" (a DER ECDSA-Sig-Value).  EVP_PKEY_verify() does both, given the
	 * digest's algorithm.
	 */
	if (md && ctx && EVP_PKEY_verify_init(ctx) == 1 &&
	    (EVP_PKEY_get_base_id(key->pkey) != EVP_PKEY_RSA ||
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1) &&
	    EVP_PKEY_CTX_set_signature_md(ctx, md) == 1)
		ok = EVP_PKEY_verify(ctx, xattr->sig, xattr->sig_len, digest, xattr->algo->size) ==
		     1;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

void canister_ima_verify_digest(const struct canister_ima_keyring *ring,
				const struct canister_ima_xattr *xattr, const uint8_t *digest,
				bool signature_required, struct canister_ima_verdict *ret_verdict)
{
	const struct canister_ima_key *key;

	*ret_verdict = (struct canister_ima_verdict){
		.algo = xattr->algo,
		.signed_value = xattr->kind == CANISTER_IMA_XATTR_KIND_SIGNATURE,
		.keyid = xattr->keyid,
	};
	if (xattr->kind == CANISTER_IMA_XATTR_KIND_HASH) {
		/* Anyone who can write the file can write its hash: only a signature proves origin.
		 */
		if (signature_required)
			decide(ret_verdict, CANISTER_IMA_FAIL_SIGNATURE_REQUIRED,
			       "a %s hash value, and the policy requires a signature "
			       "(appraise_type=imasig)",
			       xattr->algo->name);
		else if (memcmp(xattr->digest, digest, xattr->algo->size) != 0)
			decide(ret_verdict, CANISTER_IMA_FAIL_HASH_MISMATCH,
			       "the %s hash value is not the file's digest", xattr->algo->name);
		else
			decide(ret_verdict, CANISTER_IMA_PASS_HASH, "the %s hash value matches",
			       xattr->algo->name);
		return;
	}
	key = canister_ima_keyring_find(ring, xattr->keyid);
	if (!key)
		decide(ret_verdict, CANISTER_IMA_FAIL_UNKNOWN_KEY,
		       "signed by key id %08x, which is not among the %zu keys", xattr->keyid,
		       ring->count);
	else if (!signature_verifies(key, xattr, digest))
		decide(ret_verdict, CANISTER_IMA_FAIL_BAD_SIGNATURE,
		       "the %s signature by key %08x (%s) does not verify", xattr->algo->name,
		       xattr->keyid, key->description);
	else
		decide(ret_verdict, CANISTER_IMA_PASS_SIGNED, "%s signature by key %08x (%s)",
		       xattr->algo->name, xattr->keyid, key->description);
}
