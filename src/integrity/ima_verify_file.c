// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: appraisal's glue to a file: its security.ima and its digest, read through a descriptor.
 */
#include "integrity/ima_verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <openssl/evp.h>

#define READ_CHUNK (128 * 1024)

int canister_ima_file_digest(int fd, const struct canister_ima_xattr_algo *algo,
			     uint8_t *ret_digest)
{
	const EVP_MD *md = EVP_get_digestbyname(algo->name);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	uint8_t *buf = malloc(READ_CHUNK);
	off_t offset = 0;
	int r = 0;

	if (!ctx || !buf) {
		r = -ENOMEM;
		goto out;
	}
	if (!md || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		r = -EIO;
		goto out;
	}
	for (;;) {
		ssize_t n = pread(fd, buf, READ_CHUNK, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			r = -EIO;
			goto out;
		}
		offset += n;
	}
	if (EVP_DigestFinal_ex(ctx, digest, &digest_len) != 1 || digest_len != algo->size) {
		r = -EIO;
		goto out;
	}
	memcpy(ret_digest, digest, digest_len);
out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	return r;
}

int canister_ima_verify_file(const struct canister_ima_keyring *ring, const uint8_t *value,
			     size_t len, int fd, bool signature_required,
			     struct canister_ima_verdict *ret_verdict)
{
	struct canister_ima_verdict verdict = { 0 };
	struct canister_ima_xattr xattr;
	uint8_t digest[CANISTER_IMA_XATTR_DIGEST_MAX];
	int r;

	if (!value) {
		verdict.reason = CANISTER_IMA_FAIL_NO_XATTR;
		snprintf(verdict.why, sizeof(verdict.why), "no security.ima%s",
			 signature_required ? " (the policy requires a signature)" : "");
		*ret_verdict = verdict;
		return 0;
	}
	r = canister_ima_xattr_parse(value, len, &xattr, verdict.why, sizeof(verdict.why));
	if (r < 0) {
		verdict.reason = r == -EOPNOTSUPP ? CANISTER_IMA_FAIL_UNSUPPORTED
						  : CANISTER_IMA_FAIL_INVALID_XATTR;
		*ret_verdict = verdict;
		return 0;
	}
	/* IMA hashes the file in the algorithm its security.ima names (ima_get_hash_algo()). */
	r = canister_ima_file_digest(fd, xattr.algo, digest);
	if (r < 0)
		return r;
	canister_ima_verify_digest(ring, &xattr, digest, signature_required, ret_verdict);
	return 0;
}

int canister_ima_xattr_read(int fd, uint8_t **ret_value, size_t *ret_len)
{
	for (;;) {
		ssize_t size = fgetxattr(fd, "security.ima", NULL, 0);
		uint8_t *value;
		ssize_t n;

		if (size < 0)
			return -errno;
		/* One byte more than announced: a value that grew in between is seen as grown. */
		value = malloc((size_t)size + 1);
		if (!value)
			return -ENOMEM;
		n = fgetxattr(fd, "security.ima", value, (size_t)size + 1);
		if (n >= 0 && n <= size) {
			*ret_value = value;
			*ret_len = (size_t)n;
			return 0;
		}
		free(value);
		if (n < 0 && errno != ERANGE)
			return -errno;
	}
}
