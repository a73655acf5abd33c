// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: appraisal certificates, their key ids, the keyring, and every refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "data_file.h"

#include "integrity/ima_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Made by data/ima-keys/make.sh; the ids checked against `openssl x509 -ext subjectKeyIdentifier`.
 */
#define DATA_DIR "tests/unit/data/ima-keys/"

static struct canister_ima_key load_ok(const char *name)
{
	struct canister_ima_key key;
	char why[512] = "";
	int r = canister_ima_key_load(name, &key, why, sizeof(why));

	if (r != 0)
		fail_msg("%s refused (%d): %s", name, r, why);
	return key;
}

static void expect_load_refused(const char *path, int err, const char *reason)
{
	struct canister_ima_key key;
	char why[512] = "";

	memset(&key, 0x5a, sizeof(key));
	assert_int_equal(canister_ima_key_load(path, &key, why, sizeof(why)), err);
	assert_string_equal(why, reason);
	assert_int_equal(((uint8_t *)&key)[0], 0x5a);
}

static void expect_parse_refused(const char *data, size_t len, const char *reason)
{
	struct canister_ima_key key;
	char why[512] = "";

	assert_int_equal(
		canister_ima_key_parse((const uint8_t *)data, len, "cert", &key, why, sizeof(why)),
		-EINVAL);
	assert_string_equal(why, reason);
}

static void key_ids(void **state)
{
	static const struct {
		const char *file;
		uint32_t keyid;
		enum canister_ima_key_id_source source;
		const char *description;
	} cases[] = {
		{ DATA_DIR "rsa.pem", 0x15069a3b, CANISTER_IMA_KEY_ID_SKID, "RSA 2048" },
		{ DATA_DIR "rsa.der", 0x15069a3b, CANISTER_IMA_KEY_ID_SKID, "RSA 2048" },
		{ DATA_DIR "ec256.pem", 0xc8980123, CANISTER_IMA_KEY_ID_SKID, "ECDSA P-256" },
		{ DATA_DIR "ec384.pem", 0x9f84686f, CANISTER_IMA_KEY_ID_SKID, "ECDSA P-384" },
		/* The kernel's id: the SKID's tail, whatever the public key hashes to. */
		{ DATA_DIR "customskid.pem", 0x05060708, CANISTER_IMA_KEY_ID_SKID, "RSA 2048" },
		/* No SKID: evmctl's id (evmctl ima_verify prints "key 1: d1b687da"). */
		{ DATA_DIR "noskid.pem", 0xd1b687da, CANISTER_IMA_KEY_ID_PUBLIC_KEY, "RSA 2048" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct canister_ima_key key = load_ok(cases[i].file);

		assert_int_equal(key.keyid, cases[i].keyid);
		assert_int_equal(key.keyid_source, cases[i].source);
		assert_string_equal(key.description, cases[i].description);
		assert_non_null(strstr(key.subject, "CN=canister test "));
		canister_ima_key_clear(&key);
	}
}

static void refused_certificates(void **state)
{
	(void)state;
	expect_load_refused(DATA_DIR "rsa1024.pem", -EINVAL,
			    DATA_DIR
			    "rsa1024.pem: an RSA key of 1024 bits is too short (at least 2048)");
	expect_load_refused(DATA_DIR "p521.pem", -EINVAL,
			    DATA_DIR
			    "p521.pem: an EC key on curve secp521r1 is not taken (P-256, P-384)");
	expect_load_refused(
		DATA_DIR "ed25519.pem", -EINVAL,
		DATA_DIR
		"ed25519.pem: a key of type ED25519 is not taken (RSA, ECDSA P-256 and P-384)");
	expect_load_refused(
		DATA_DIR "shortskid.pem", -EINVAL,
		DATA_DIR
		"shortskid.pem: a subject key identifier of 2 bytes: IMA's key id is its last 4");
	expect_load_refused(DATA_DIR "certsign.pem", -EINVAL,
			    DATA_DIR "certsign.pem: the key usage excludes digitalSignature: not a "
				     "key for signing files");
	expect_load_refused(DATA_DIR "two.pem", -EINVAL,
			    DATA_DIR
			    "two.pem: more than one PEM block: a file holds one certificate");
	expect_load_refused(DATA_DIR "content", -EINVAL,
			    DATA_DIR "content: not an X.509 certificate (neither DER nor PEM)");
	expect_load_refused(DATA_DIR "missing.pem", -ENOENT, DATA_DIR "missing.pem: no such file");
	expect_load_refused(DATA_DIR, -EINVAL, DATA_DIR ": not a regular file");
}

static void refused_pem_and_der(void **state)
{
	static const char private_key[] =
		"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
	static const char no_end[] = "-----BEGIN CERTIFICATE-----\nMAA=\n";
	static const char bad_base64[] =
		"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
	static const char garbage_der[] =
		"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
	char *pem, *der;
	size_t pem_len, der_len;

	(void)state;
	expect_parse_refused(private_key, strlen(private_key),
			     "cert: a PEM \"PRIVATE KEY\", not a CERTIFICATE (never give canister "
			     "a private key)");
	expect_parse_refused(no_end, strlen(no_end), "cert: a PEM block without its END line");
	expect_parse_refused(bad_base64, strlen(bad_base64), "cert: the PEM block does not decode");
	expect_parse_refused(garbage_der, strlen(garbage_der),
			     "cert: not an X.509 certificate (neither DER nor PEM)");
	expect_parse_refused("", 0, "cert: not an X.509 certificate (neither DER nor PEM)");

	/* Text after the block, and a byte after a DER certificate. */
	pem = calloc(1, 4096);
	assert_non_null(pem);
	pem_len = data_file(DATA_DIR "rsa.pem", pem, 4000);
	memcpy(pem + pem_len, "x\n", 2);
	expect_parse_refused(pem, pem_len + 2, "cert: text after the PEM block");
	der = calloc(1, 4096);
	assert_non_null(der);
	der_len = data_file(DATA_DIR "rsa.der", der, 4000);
	expect_parse_refused(der, der_len + 1, "cert: 1 bytes after the certificate");
	expect_parse_refused(der, der_len - 1,
			     "cert: not an X.509 certificate (neither DER nor PEM)");
	free(pem);
	free(der);
}

/* The file rules: no symlink, nothing others may write. */
static void refused_files(void **state)
{
	char dir[] = "/tmp/canister-test-keys.XXXXXX", link[64], copy[64], reason[256];
	char buf[4096];
	size_t len;
	FILE *in, *out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(copy, sizeof(copy), "%s/rsa.pem", dir);
	snprintf(link, sizeof(link), "%s/link.pem", dir);
	in = fopen(DATA_DIR "rsa.pem", "rb");
	out = fopen(copy, "wb");
	assert_non_null(in);
	assert_non_null(out);
	len = fread(buf, 1, sizeof(buf), in);
	assert_int_equal(fwrite(buf, 1, len, out), len);
	fclose(in);
	fclose(out);
	assert_int_equal(symlink(copy, link), 0);

	snprintf(reason, sizeof(reason),
		 "%s: refused: a symlink (name the certificate file itself)", link);
	expect_load_refused(link, -EINVAL, reason);
	assert_int_equal(chmod(copy, 0664), 0);
	snprintf(reason, sizeof(reason),
		 "%s: refused: must be owned by uid %u and not writable by group or others (owner "
		 "%u, mode 0664)",
		 copy, (unsigned)geteuid(), (unsigned)geteuid());
	expect_load_refused(copy, -EPERM, reason);
	assert_int_equal(chmod(copy, 0602), 0);
	snprintf(reason, sizeof(reason),
		 "%s: refused: must be owned by uid %u and not writable by group or others (owner "
		 "%u, mode 0602)",
		 copy, (unsigned)geteuid(), (unsigned)geteuid());
	expect_load_refused(copy, -EPERM, reason);
	assert_int_equal(chmod(copy, 0644), 0);
	canister_ima_key_clear((struct canister_ima_key[]){ load_ok(copy) });

	assert_int_equal(truncate(copy, CANISTER_IMA_KEY_FILE_MAX + 1), 0);
	snprintf(reason, sizeof(reason), "%s: larger than %d bytes", copy,
		 CANISTER_IMA_KEY_FILE_MAX);
	expect_load_refused(copy, -EFBIG, reason);
	unlink(link);
	unlink(copy);
	rmdir(dir);
}

static void keyring(void **state)
{
	struct canister_ima_keyring ring = { 0 };
	struct canister_ima_key rsa = load_ok(DATA_DIR "rsa.pem");
	struct canister_ima_key again = load_ok(DATA_DIR "rsa.der");
	struct canister_ima_key ec = load_ok(DATA_DIR "ec256.pem");

	(void)state;
	assert_int_equal(canister_ima_keyring_add(&ring, &rsa), 0);
	assert_null(rsa.pkey);
	/* The same key id twice would make the verdict depend on order: refused, nothing changes.
	 */
	assert_int_equal(canister_ima_keyring_add(&ring, &again), -EEXIST);
	assert_non_null(again.pkey);
	assert_int_equal(ring.count, 1);
	assert_int_equal(canister_ima_keyring_add(&ring, &ec), 0);
	assert_int_equal(ring.count, 2);
	assert_string_equal(canister_ima_keyring_find(&ring, 0xc8980123)->description,
			    "ECDSA P-256");
	assert_string_equal(canister_ima_keyring_find(&ring, 0x15069a3b)->description, "RSA 2048");
	assert_null(canister_ima_keyring_find(&ring, 0x15069a3c));
	assert_int_equal(canister_ima_keyring_remove(&ring, 0x15069a3b), 0);
	assert_int_equal(canister_ima_keyring_remove(&ring, 0x15069a3b), -ENOENT);
	assert_null(canister_ima_keyring_find(&ring, 0x15069a3b));
	assert_non_null(canister_ima_keyring_find(&ring, 0xc8980123));
	assert_int_equal(canister_ima_keyring_add(&ring, &again), 0);
	assert_int_equal(ring.count, 2);
	canister_ima_keyring_free(&ring);
	assert_int_equal(ring.count, 0);
}

static void keyring_full(void **state)
{
	struct canister_ima_keyring ring = { 0 };
	struct canister_ima_key key;

	(void)state;
	for (uint32_t i = 0; i < CANISTER_IMA_KEYRING_MAX; i++) {
		key = load_ok(DATA_DIR "ec256.pem");
		key.keyid = i;
		assert_int_equal(canister_ima_keyring_add(&ring, &key), 0);
	}
	key = load_ok(DATA_DIR "ec256.pem");
	assert_int_equal(canister_ima_keyring_add(&ring, &key), -ENOSPC);
	canister_ima_key_clear(&key);
	canister_ima_keyring_free(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_ids),
		cmocka_unit_test(refused_certificates),
		cmocka_unit_test(refused_pem_and_der),
		cmocka_unit_test(refused_files),
		cmocka_unit_test(keyring),
		cmocka_unit_test(keyring_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
