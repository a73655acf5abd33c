// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: security.ima values as IMA stores them, and every refusal's reason. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/ima_xattr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* evmctl ima_hash -a sha256 of "hello\n", as it wrote it on this machine. */
static const uint8_t sha256_value[] = {
	0x04, 0x04, 0x58, 0x91, 0xb5, 0xb5, 0x22, 0xd5, 0xdf, 0x08, 0x6d, 0x0f,
	0xf0, 0xb1, 0x10, 0xfb, 0xd9, 0xd2, 0x1b, 0xb4, 0xfc, 0x71, 0x63, 0xaf,
	0x34, 0xd0, 0x82, 0x86, 0xa2, 0xe8, 0x46, 0xf6, 0xbe, 0x03,
};
/* evmctl ima_hash -a sha1 of "hello\n": the legacy type 0x01. */
static const uint8_t sha1_value[] = {
	0x01, 0xf5, 0x72, 0xd3, 0x96, 0xfa, 0xe9, 0x20, 0x66, 0x28, 0x71,
	0x4f, 0xb2, 0xce, 0x00, 0xf7, 0x2e, 0x94, 0xf2, 0x25, 0x8f,
};

static void expect_refused(const uint8_t *value, size_t len, int err, const char *reason)
{
	struct canister_ima_xattr xattr, untouched;
	char why[512] = "";

	memset(&xattr, 0x5a, sizeof(xattr));
	untouched = xattr;
	assert_int_equal(canister_ima_xattr_parse(value, len, &xattr, why, sizeof(why)), err);
	assert_string_equal(why, reason);
	assert_memory_equal(&xattr, &untouched, sizeof(xattr));
}

/* A signature v2 header: algorithm @algo, key id 0x11223344, @sig_size announced. */
static size_t sig_v2(uint8_t *out, uint8_t algo, uint16_t sig_size, size_t sig_len)
{
	uint8_t header[] = { 0x03, 0x02, algo,		0x11,		0x22,
			     0x33, 0x44, sig_size >> 8, sig_size & 0xff };

	memcpy(out, header, sizeof(header));
	memset(out + sizeof(header), 0xab, sig_len);
	return sizeof(header) + sig_len;
}

static struct canister_ima_xattr parse_ok(const uint8_t *value, size_t len)
{
	struct canister_ima_xattr xattr;
	char why[256] = "";

	if (canister_ima_xattr_parse(value, len, &xattr, why, sizeof(why)) != 0)
		fail_msg("refused: %s", why);
	return xattr;
}

/* The two hash values evmctl ima_hash writes: 0x04 with the algorithm, and the legacy sha1. */
static void hash_values(void **state)
{
	struct canister_ima_xattr ng = parse_ok(sha256_value, sizeof(sha256_value));
	struct canister_ima_xattr legacy = parse_ok(sha1_value, sizeof(sha1_value));

	(void)state;
	assert_int_equal(ng.kind, CANISTER_IMA_XATTR_KIND_HASH);
	assert_string_equal(ng.algo->name, "sha256");
	assert_ptr_equal(ng.digest, sha256_value + 2);
	assert_int_equal(legacy.kind, CANISTER_IMA_XATTR_KIND_HASH);
	assert_string_equal(legacy.algo->name, "sha1");
	assert_ptr_equal(legacy.digest, sha1_value + 1);
}

static void signature_v2(void **state)
{
	uint8_t value[9 + 256];
	size_t len = sig_v2(value, 6, 256, 256);
	struct canister_ima_xattr xattr = parse_ok(value, len);

	(void)state;
	assert_int_equal(xattr.kind, CANISTER_IMA_XATTR_KIND_SIGNATURE);
	assert_string_equal(xattr.algo->name, "sha512");
	assert_int_equal(xattr.keyid, 0x11223344);
	assert_int_equal(xattr.sig_len, 256);
	assert_ptr_equal(xattr.sig, value + 9);
}

static void hash_refusals(void **state)
{
	uint8_t value[80] = { 0 };

	(void)state;
	expect_refused(value, 0, -EINVAL, "security.ima: empty value");
	expect_refused(sha256_value, 1, -EINVAL,
		       "security.ima: hash value (type 0x04) of 1 bytes has no algorithm");
	expect_refused(
		sha256_value, sizeof(sha256_value) - 1, -EINVAL,
		"security.ima: hash value (type 0x04) holds 31 bytes of sha256 digest, not 32");
	memcpy(value, sha256_value, sizeof(sha256_value));
	value[sizeof(sha256_value)] = 0;
	expect_refused(
		value, sizeof(sha256_value) + 1, -EINVAL,
		"security.ima: hash value (type 0x04) holds 33 bytes of sha256 digest, not 32");
	value[1] = 1;
	expect_refused(value, 18, -EOPNOTSUPP,
		       "security.ima: hash algorithm 1 (md5) is not taken (canister takes sha1 in "
		       "hash values, sha224, sha256, sha384, sha512)");
	value[1] = 20;
	expect_refused(value, 34, -EOPNOTSUPP,
		       "security.ima: hash algorithm 20 (sha3-256) is not taken (canister takes "
		       "sha1 in hash values, sha224, sha256, sha384, sha512)");
	value[1] = 23;
	expect_refused(value, 34, -EINVAL, "security.ima: unknown hash algorithm 23");
	value[1] = 0xff;
	expect_refused(value, 34, -EINVAL, "security.ima: unknown hash algorithm 255");

	expect_refused(
		sha1_value, 20, -EINVAL,
		"security.ima: legacy hash value (type 0x01) of 20 bytes: a sha1 value has 21");
	expect_refused(sha1_value, 17, -EOPNOTSUPP,
		       "security.ima: legacy hash value (type 0x01) is md5, which is not taken");
	memcpy(value, sha1_value, sizeof(sha1_value));
	memset(value + 17, 0, 4);
	expect_refused(value, 21, -EOPNOTSUPP,
		       "security.ima: legacy hash value (type 0x01) is md5, which is not taken");
}

static void signature_refusals(void **state)
{
	uint8_t value[9 + 300] = { 0 };
	size_t len;

	(void)state;
	len = sig_v2(value, 4, 256, 256);
	expect_refused(value, 1, -EINVAL,
		       "security.ima: signature (type 0x03) of 1 byte has no version");
	expect_refused(value, 8, -EINVAL,
		       "security.ima: signature v2 truncated: 8 bytes, the header alone has 9");
	expect_refused(
		value, len - 1, -EINVAL,
		"security.ima: signature v2 says 256 bytes of signature, 255 follow the header");
	expect_refused(
		value, len + 1, -EINVAL,
		"security.ima: signature v2 says 256 bytes of signature, 257 follow the header");
	len = sig_v2(value, 4, 0, 0);
	expect_refused(value, len, -EINVAL, "security.ima: signature v2 with an empty signature");
	len = sig_v2(value, 2, 8, 8);
	expect_refused(value, len, -EOPNOTSUPP,
		       "security.ima: a signature over a sha1 digest is not taken: a collision "
		       "would let another file pass (sign with sha256 or stronger)");
	len = sig_v2(value, 17, 8, 8);
	expect_refused(value, len, -EOPNOTSUPP,
		       "security.ima: hash algorithm 17 (sm3) is not taken (canister takes sha1 in "
		       "hash values, sha224, sha256, sha384, sha512)");
	value[1] = 1;
	expect_refused(value, len, -EOPNOTSUPP,
		       "security.ima: signature version 1 (RSA-only, deprecated by the kernel) is "
		       "not taken (evmctl ima_sign writes version 2)");
	value[1] = 3;
	expect_refused(value, len, -EOPNOTSUPP,
		       "security.ima: signature version 3 (a signature of an fs-verity or file-id "
		       "digest) is not taken");
	value[1] = 9;
	expect_refused(value, len, -EINVAL, "security.ima: unknown signature version 9");
}

static void type_refusals(void **state)
{
	static const struct {
		uint8_t type;
		int err;
		const char *reason;
	} cases[] = {
		{ 0x02, -EINVAL, "security.ima: type 0x02 is EVM's (security.evm), not IMA's" },
		{ 0x05, -EINVAL, "security.ima: type 0x05 is EVM's (security.evm), not IMA's" },
		{ 0x06, -EOPNOTSUPP,
		  "security.ima: type 0x06 (an fs-verity signature) is not taken: canister hashes "
		  "the file itself" },
		{ 0x00, -EINVAL, "security.ima: unknown type 0x00" },
		{ 0x07, -EINVAL, "security.ima: unknown type 0x07" },
	};
	uint8_t value[CANISTER_IMA_XATTR_MAX + 1] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		value[0] = cases[i].type;
		expect_refused(value, 21, cases[i].err, cases[i].reason);
	}
	value[0] = 0x04;
	expect_refused(value, sizeof(value), -EINVAL,
		       "security.ima: 65537 bytes, more than an xattr holds (65536)");
}

/* A refusal's reason is cut, never overrun, in a short buffer. */
static void short_reason_buffer(void **state)
{
	struct canister_ima_xattr xattr;
	char why[16];

	(void)state;
	memset(why, 'x', sizeof(why));
	assert_int_equal(canister_ima_xattr_parse(sha1_value, 3, &xattr, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "security.ima: l");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_values),	 cmocka_unit_test(signature_v2),
		cmocka_unit_test(hash_refusals), cmocka_unit_test(signature_refusals),
		cmocka_unit_test(type_refusals), cmocka_unit_test(short_reason_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
