// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: appraisal verdicts on evmctl's signatures and hash values, and their
 * reasons. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "data_file.h"

#include "integrity/ima_verify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Made by data/ima-keys/make.sh: content.KEY-ALGO.sig is what `evmctl ima_sign --sigfile` wrote. */
#define DATA_DIR "tests/unit/data/ima-keys/"

/* The digests evmctl printed when it signed the content. */
static const char content_sha256[] =
	"9a2469b9b329354492580bda12fe28b6f91f17c8e780994a1d86d58bad4eb670";
static const char content_sha512[] =
	"4a9877216839bf825545c5d06efa45ec739ba4fa2f3745af7c2eaa418fc6bbcf5ccc8c783f8eb753e00bc3c348"
	"5fa2d7254b78611dcf6723a543bfd751159b69";

static struct canister_ima_keyring ring;

static void hex(const uint8_t *bytes, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
}

static int setup(void **state)
{
	static const char *const certs[] = { "rsa.pem", "ec256.pem", "ec384.pem" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct canister_ima_key key;
		char path[128], why[256];

		snprintf(path, sizeof(path), DATA_DIR "%s", certs[i]);
		if (canister_ima_key_load(path, &key, why, sizeof(why)) < 0 ||
		    canister_ima_keyring_add(&ring, &key) < 0)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	canister_ima_keyring_free(&ring);
	return 0;
}

/* The verdict on the content with security.ima @value, through the file's descriptor. */
static struct canister_ima_verdict verdict_on_content(const uint8_t *value, size_t len,
						      bool signature_required)
{
	struct canister_ima_verdict verdict;
	int fd = open(DATA_DIR "content", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(
		canister_ima_verify_file(&ring, value, len, fd, signature_required, &verdict), 0);
	close(fd);
	return verdict;
}

static void expect_verdict(const struct canister_ima_verdict *verdict, bool pass,
			   const char *reason, const char *why)
{
	assert_int_equal(verdict->pass, pass);
	assert_string_equal(canister_ima_verdict_reason_name(verdict->reason), reason);
	assert_string_equal(verdict->why, why);
}

static void file_digests(void **state)
{
	uint8_t digest[64];
	char text[129];
	int fd = open(DATA_DIR "content", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	/* The descriptor's offset stays where it was: the opener reads from it. */
	assert_int_equal(lseek(fd, 5, SEEK_SET), 5);
	assert_int_equal(canister_ima_file_digest(fd, canister_ima_xattr_algo_by_id(4), digest), 0);
	hex(digest, 32, text);
	assert_string_equal(text, content_sha256);
	assert_int_equal(canister_ima_file_digest(fd, canister_ima_xattr_algo_by_id(6), digest), 0);
	hex(digest, 64, text);
	assert_string_equal(text, content_sha512);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 5);
	close(fd);
	assert_int_equal(canister_ima_file_digest(-1, canister_ima_xattr_algo_by_id(4), digest),
			 -EBADF);
}

static void evmctl_signatures_pass(void **state)
{
	static const struct {
		const char *sig, *why;
	} cases[] = {
		{ "content.rsa-sha256.sig", "sha256 signature by key 15069a3b (RSA 2048)" },
		{ "content.rsa-sha512.sig", "sha512 signature by key 15069a3b (RSA 2048)" },
		{ "content.ec256-sha256.sig", "sha256 signature by key c8980123 (ECDSA P-256)" },
		{ "content.ec256-sha512.sig", "sha512 signature by key c8980123 (ECDSA P-256)" },
		{ "content.ec384-sha256.sig", "sha256 signature by key 9f84686f (ECDSA P-384)" },
		{ "content.ec384-sha512.sig", "sha512 signature by key 9f84686f (ECDSA P-384)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t value[600];
		char path[128];
		size_t len;
		struct canister_ima_verdict verdict;

		snprintf(path, sizeof(path), DATA_DIR "%s", cases[i].sig);
		len = data_file(path, value, sizeof(value));
		verdict = verdict_on_content(value, len, true);
		expect_verdict(&verdict, true, "signed", cases[i].why);
		assert_true(verdict.signed_value);
		/* A signature passes without imasig too, as in IMA. */
		verdict = verdict_on_content(value, len, false);
		assert_true(verdict.pass);
	}
}

static void signatures_fail(void **state)
{
	struct canister_ima_verdict verdict;
	uint8_t value[600], digest[32] = { 0 };
	struct canister_ima_xattr xattr;
	struct canister_ima_keyring empty = { 0 };
	char why[256];
	size_t len = data_file(DATA_DIR "content.rsa-sha256.sig", value, sizeof(value));

	(void)state;
	/* A key the ring does not hold. */
	assert_int_equal(canister_ima_xattr_parse(value, len, &xattr, why, sizeof(why)), 0);
	canister_ima_verify_digest(&empty, &xattr, digest, true, &verdict);
	expect_verdict(&verdict, false, "unknown-key",
		       "signed by key id 15069a3b, which is not among the 0 keys");
	/* Other content: the same signature over a digest that is not the file's. */
	canister_ima_verify_digest(&ring, &xattr, digest, true, &verdict);
	expect_verdict(&verdict, false, "invalid-signature",
		       "the sha256 signature by key 15069a3b (RSA 2048) does not verify");
	/* One bit of the signature changed. */
	value[len - 1] ^= 1;
	verdict = verdict_on_content(value, len, true);
	expect_verdict(&verdict, false, "invalid-signature",
		       "the sha256 signature by key 15069a3b (RSA 2048) does not verify");
	value[len - 1] ^= 1;
	/* The RSA signature relabelled with the P-256 key's id: another key's signature. */
	value[3] = 0xc8, value[4] = 0x98, value[5] = 0x01, value[6] = 0x23;
	verdict = verdict_on_content(value, len, true);
	expect_verdict(&verdict, false, "invalid-signature",
		       "the sha256 signature by key c8980123 (ECDSA P-256) does not verify");
	/* The sha256 signature relabelled as sha512: the digest it covers is another. */
	len = data_file(DATA_DIR "content.ec256-sha256.sig", value, sizeof(value));
	value[2] = 6;
	verdict = verdict_on_content(value, len, true);
	expect_verdict(&verdict, false, "invalid-signature",
		       "the sha512 signature by key c8980123 (ECDSA P-256) does not verify");
}

static void hash_values(void **state)
{
	struct canister_ima_verdict verdict;
	uint8_t value[2 + 32] = { 0x04, 0x04 };
	int fd = open(DATA_DIR "content", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(canister_ima_file_digest(fd, canister_ima_xattr_algo_by_id(4), value + 2),
			 0);
	close(fd);
	verdict = verdict_on_content(value, sizeof(value), false);
	expect_verdict(&verdict, true, "hash", "the sha256 hash value matches");
	assert_false(verdict.signed_value);
	/* appraise_type=imasig: a hash value, even the right one, is not enough (IMA's rule). */
	verdict = verdict_on_content(value, sizeof(value), true);
	expect_verdict(
		&verdict, false, "signature-required",
		"a sha256 hash value, and the policy requires a signature (appraise_type=imasig)");
	value[2] ^= 0x80;
	verdict = verdict_on_content(value, sizeof(value), false);
	expect_verdict(&verdict, false, "invalid-hash",
		       "the sha256 hash value is not the file's digest");
}

static void no_or_bad_value(void **state)
{
	static const uint8_t truncated[] = { 0x03, 0x02, 0x04, 0x15, 0x06 };
	static const uint8_t verity[] = { 0x06, 0x03, 0x04 };
	struct canister_ima_verdict verdict;

	(void)state;
	verdict = verdict_on_content(NULL, 0, true);
	expect_verdict(&verdict, false, "no-xattr",
		       "no security.ima (the policy requires a signature)");
	verdict = verdict_on_content(NULL, 0, false);
	expect_verdict(&verdict, false, "no-xattr", "no security.ima");
	verdict = verdict_on_content(truncated, sizeof(truncated), false);
	expect_verdict(&verdict, false, "invalid-xattr",
		       "security.ima: signature v2 truncated: 5 bytes, the header alone has 9");
	verdict = verdict_on_content(verity, sizeof(verity), false);
	expect_verdict(&verdict, false, "unsupported",
		       "security.ima: type 0x06 (an fs-verity signature) is not taken: canister "
		       "hashes the file itself");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_digests),	   cmocka_unit_test(evmctl_signatures_pass),
		cmocka_unit_test(signatures_fail), cmocka_unit_test(hash_values),
		cmocka_unit_test(no_or_bad_value),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
