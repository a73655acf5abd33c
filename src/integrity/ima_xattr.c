// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: security.ima values as IMA stores them (evmctl ima_hash, ima_sign), parsed strictly. */
#include "integrity/ima_xattr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * What canister verifies.  sha1 is kept for hash values (second preimages
 * are still out of reach, and whoever can write the value can write any
 * digest anyway) but not for signatures: a sha1 collision makes a signed
 * file's twin pass.
 */
static const struct canister_ima_xattr_algo algos[] = {
	{ .id = 2, .name = "sha1", .size = 20, .signable = false },
	{ .id = 4, .name = "sha256", .size = 32, .signable = true },
	{ .id = 5, .name = "sha384", .size = 48, .signable = true },
	{ .id = 6, .name = "sha512", .size = 64, .signable = true },
	{ .id = 7, .name = "sha224", .size = 28, .signable = true },
};

/* The kernel's hash_algo_name[], to name what is refused. */
static const char *const kernel_algo_names[] = {
	"md4",	       "md5",	      "sha1",	  "rmd160",   "sha256",	  "sha384",
	"sha512",      "sha224",      "rmd128",	  "rmd256",   "rmd320",	  "wp256",
	"wp384",       "wp512",	      "tgr128",	  "tgr160",   "tgr192",	  "sm3",
	"streebog256", "streebog512", "sha3-256", "sha3-384", "sha3-512",
};

const struct canister_ima_xattr_algo *canister_ima_xattr_algo_by_id(unsigned int id)
{
	for (size_t i = 0; i < ARRAY_SIZE(algos); i++)
		if (algos[i].id == id)
			return &algos[i];
	return NULL;
}

__attribute__((format(printf, 4, 5))) static int refuse_with(int err, char *why, size_t why_len,
							     const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, why_len, "security.ima: ");

	if (n >= 0 && (size_t)n < why_len) {
		va_start(ap, fmt);
		vsnprintf(why + n, why_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Malformed: not what IMA would have written. */
#define refuse(why, why_len, ...) refuse_with(-EINVAL, why, why_len, __VA_ARGS__)
/* Well-formed, but a kind canister does not verify. */
#define not_taken(why, why_len, ...) refuse_with(-EOPNOTSUPP, why, why_len, __VA_ARGS__)

/* 0 with the algorithm with id @id in *ret_algo, or the refusal. */
static int algo_taken(unsigned int id, bool in_signature,
		      const struct canister_ima_xattr_algo **ret_algo, char *why, size_t why_len)
{
	const struct canister_ima_xattr_algo *algo = canister_ima_xattr_algo_by_id(id);

	if (!algo && id < ARRAY_SIZE(kernel_algo_names))
		return not_taken(why, why_len,
				 "hash algorithm %u (%s) is not taken (canister takes sha1 in hash "
				 "values, sha224, sha256, sha384, sha512)",
				 id, kernel_algo_names[id]);
	if (!algo)
		return refuse(why, why_len, "unknown hash algorithm %u", id);
	if (in_signature && !algo->signable)
		return not_taken(why, why_len,
				 "a signature over a %s digest is not taken: a collision would let "
				 "another file pass (sign with sha256 or stronger)",
				 algo->name);
	*ret_algo = algo;
	return 0;
}

static int parse_digest_ng(const uint8_t *value, size_t len, struct canister_ima_xattr *ret_xattr,
			   char *why, size_t why_len)
{
	const struct canister_ima_xattr_algo *algo;
	int r;

	if (len < 2)
		return refuse(why, why_len, "hash value (type 0x04) of %zu bytes has no algorithm",
			      len);
	r = algo_taken(value[1], false, &algo, why, why_len);
	if (r < 0)
		return r;
	/* The kernel compares the first digest-size bytes and ignores more; canister refuses them.
	 */
	if (len - 2 != algo->size)
		return refuse(why, why_len,
			      "hash value (type 0x04) holds %zu bytes of %s digest, not %u",
			      len - 2, algo->name, algo->size);
	*ret_xattr = (struct canister_ima_xattr){
		.kind = CANISTER_IMA_XATTR_KIND_HASH,
		.algo = algo,
		.digest = value + 2,
	};
	return 0;
}

static int parse_digest_legacy(const uint8_t *value, size_t len,
			       struct canister_ima_xattr *ret_xattr, char *why, size_t why_len)
{
	static const uint8_t zeros[4];

	/*
	 * ima_get_hash_algo(): 17 bytes are md5; 21 are sha1, unless the last four
	 * are zero, which is an old kernel's md5 padded to 20 bytes.
	 */
	if (len == 17 || (len == 21 && memcmp(value + 17, zeros, sizeof(zeros)) == 0))
		return not_taken(why, why_len,
				 "legacy hash value (type 0x01) is md5, which is not taken");
	if (len != 21)
		return refuse(why, why_len,
			      "legacy hash value (type 0x01) of %zu bytes: a sha1 value has 21",
			      len);
	*ret_xattr = (struct canister_ima_xattr){
		.kind = CANISTER_IMA_XATTR_KIND_HASH,
		.algo = canister_ima_xattr_algo_by_id(2),
		.digest = value + 1,
	};
	return 0;
}

static int parse_signature(const uint8_t *value, size_t len, struct canister_ima_xattr *ret_xattr,
			   char *why, size_t why_len)
{
	const struct canister_ima_xattr_algo *algo;
	size_t sig_len;
	uint32_t keyid;
	uint16_t sig_size;
	int r;

	if (len < 2)
		return refuse(why, why_len, "signature (type 0x03) of 1 byte has no version");
	switch (value[1]) {
	case 2:
		break;
	case 1:
		return not_taken(why, why_len,
				 "signature version 1 (RSA-only, deprecated by the kernel) is not "
				 "taken (evmctl ima_sign writes version 2)");
	case 3:
		return not_taken(why, why_len,
				 "signature version 3 (a signature of an fs-verity or file-id "
				 "digest) is not taken");
	default:
		return refuse(why, why_len, "unknown signature version %u", value[1]);
	}
	if (len < CANISTER_IMA_SIG_V2_HEADER)
		return refuse(why, why_len,
			      "signature v2 truncated: %zu bytes, the header alone has %d", len,
			      CANISTER_IMA_SIG_V2_HEADER);
	r = algo_taken(value[2], true, &algo, why, why_len);
	if (r < 0)
		return r;
	keyid = (uint32_t)value[3] << 24 | (uint32_t)value[4] << 16 | (uint32_t)value[5] << 8 |
		value[6];
	sig_size = (uint16_t)(value[7] << 8 | value[8]);
	sig_len = len - CANISTER_IMA_SIG_V2_HEADER;
	/* asymmetric_verify(): the size must be exactly what follows, and not zero. */
	if (sig_size != sig_len)
		return refuse(why, why_len,
			      "signature v2 says %u bytes of signature, %zu follow the header",
			      sig_size, sig_len);
	if (sig_len == 0)
		return refuse(why, why_len, "signature v2 with an empty signature");
	*ret_xattr = (struct canister_ima_xattr){
		.kind = CANISTER_IMA_XATTR_KIND_SIGNATURE,
		.algo = algo,
		.keyid = keyid,
		.sig = value + CANISTER_IMA_SIG_V2_HEADER,
		.sig_len = sig_size,
	};
	return 0;
}

int canister_ima_xattr_parse(const uint8_t *value, size_t len, struct canister_ima_xattr *ret_xattr,
			     char *why, size_t why_len)
{
	if (len == 0)
		return refuse(why, why_len, "empty value");
	if (len > CANISTER_IMA_XATTR_MAX)
		return refuse(why, why_len, "%zu bytes, more than an xattr holds (%d)", len,
			      CANISTER_IMA_XATTR_MAX);
	switch (value[0]) {
	case CANISTER_IMA_XATTR_DIGEST_NG:
		return parse_digest_ng(value, len, ret_xattr, why, why_len);
	case CANISTER_IMA_XATTR_DIGEST:
		return parse_digest_legacy(value, len, ret_xattr, why, why_len);
	case CANISTER_IMA_XATTR_DIGSIG:
		return parse_signature(value, len, ret_xattr, why, why_len);
	case CANISTER_IMA_XATTR_EVM_HMAC:
	case CANISTER_IMA_XATTR_EVM_PORTABLE:
		return refuse(why, why_len, "type 0x%02x is EVM's (security.evm), not IMA's",
			      value[0]);
	case CANISTER_IMA_XATTR_VERITY_DIGSIG:
		return not_taken(why, why_len,
				 "type 0x06 (an fs-verity signature) is not taken: canister hashes "
				 "the file itself");
	default:
		return refuse(why, why_len, "unknown type 0x%02x", value[0]);
	}
}
