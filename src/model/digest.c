// SPDX-License-Identifier: GPL-2.0-only
/* canister behaviour models: SHA-256 through libcrypto's EVP interface, and TSEM's extension step.
 */
#include "model/digest.h"

#include <errno.h>
#include <openssl/evp.h>

static int digest(const EVP_MD *md, unsigned int size, const void *first, size_t first_len,
		  const void *second, size_t second_len, uint8_t *ret)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	     EVP_DigestUpdate(ctx, first, first_len) == 1 &&
	     (!second || EVP_DigestUpdate(ctx, second, second_len) == 1) &&
	     EVP_DigestFinal_ex(ctx, ret, &len) == 1 && len == size;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -ENOMEM;
}

int model_sha256(const void *first, size_t first_len, const void *second, size_t second_len,
		 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	return digest(EVP_sha256(), CANISTER_MODEL_DIGEST_SIZE, first, first_len, second,
		      second_len, ret);
}

int model_sha1(const void *first, size_t first_len, const void *second, size_t second_len,
	       uint8_t ret[CANISTER_MODEL_SHA1_SIZE])
{
	return digest(EVP_sha1(), CANISTER_MODEL_SHA1_SIZE, first, first_len, second, second_len,
		      ret);
}

int model_extend(uint8_t value[CANISTER_MODEL_DIGEST_SIZE],
		 const uint8_t base[CANISTER_MODEL_DIGEST_SIZE],
		 const uint8_t point[CANISTER_MODEL_DIGEST_SIZE])
{
	uint8_t host[CANISTER_MODEL_DIGEST_SIZE];
	int r;

	r = model_sha256(base, CANISTER_MODEL_DIGEST_SIZE, point, CANISTER_MODEL_DIGEST_SIZE, host);
	if (r < 0)
		return r;
	return model_sha256(value, CANISTER_MODEL_DIGEST_SIZE, host, CANISTER_MODEL_DIGEST_SIZE,
			    value);
}
