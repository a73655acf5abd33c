// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a container's appraisal keys stored, listed, removed and reloaded whole. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "data_file.h"

#include "integrity/ima_key_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATA_DIR "tests/unit/data/ima-keys/"

static char base[64], dir[128];

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/canister-test-key-store.XXXXXX");
	if (!mkdtemp(base))
		return -1;
	snprintf(dir, sizeof(dir), "%s/keys", base);
	return 0;
}

static int teardown(void **state)
{
	char command[256];

	(void)state;
	snprintf(command, sizeof(command), "rm -rf '%s'", base);
	return system(command) == 0 ? 0 : -1;
}

static uint32_t add_ok(const char *name)
{
	uint8_t cert[8192];
	size_t len = data_file(name, cert, sizeof(cert));
	uint32_t keyid = 0;
	char why[512] = "";
	int r = canister_ima_key_store_add(dir, cert, len, name, &keyid, why, sizeof(why));

	if (r != 0)
		fail_msg("%s not stored (%d): %s", name, r, why);
	return keyid;
}

static void add_list_remove_reload(void **state)
{
	struct canister_ima_keyring ring = { 0 };
	uint8_t cert[8192];
	char why[512] = "", path[256];
	uint32_t keyid = 0;
	struct stat st;
	size_t len;

	(void)state;
	/* No directory yet: an empty ring. */
	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), 0);
	assert_int_equal(ring.count, 0);

	assert_int_equal(add_ok(DATA_DIR "rsa.pem"), 0x15069a3b);
	assert_int_equal(add_ok(DATA_DIR "ec256.pem"), 0xc8980123);
	snprintf(path, sizeof(path), "%s/15069a3b.crt", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* The same key again, as DER: the id is taken. */
	len = data_file(DATA_DIR "rsa.der", cert, sizeof(cert));
	assert_int_equal(
		canister_ima_key_store_add(dir, cert, len, "rsa.der", &keyid, why, sizeof(why)),
		-EEXIST);
	snprintf(path, sizeof(path), "%s: a key with id 15069a3b is already there", dir);
	assert_string_equal(why, path);
	/* A refused certificate stores nothing. */
	len = data_file(DATA_DIR "rsa1024.pem", cert, sizeof(cert));
	assert_int_equal(
		canister_ima_key_store_add(dir, cert, len, "rsa1024.pem", &keyid, why, sizeof(why)),
		-EINVAL);
	assert_string_equal(why,
			    "rsa1024.pem: an RSA key of 1024 bits is too short (at least 2048)");

	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), 0);
	assert_int_equal(ring.count, 2);
	assert_non_null(canister_ima_keyring_find(&ring, 0x15069a3b));
	assert_non_null(canister_ima_keyring_find(&ring, 0xc8980123));
	canister_ima_keyring_free(&ring);

	assert_int_equal(canister_ima_key_store_remove(dir, 0x15069a3b), 0);
	assert_int_equal(canister_ima_key_store_remove(dir, 0x15069a3b), -ENOENT);
	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), 0);
	assert_int_equal(ring.count, 1);
	assert_null(canister_ima_keyring_find(&ring, 0x15069a3b));
	canister_ima_keyring_free(&ring);
	assert_int_equal(canister_ima_key_store_remove(dir, 0xc8980123), 0);
}

/* One bad file refuses the whole store, and says which. */
static void reload_refusals(void **state)
{
	struct canister_ima_keyring ring = { .count = 77 };
	char why[512] = "", path[256], other[256], expected[512];

	(void)state;
	add_ok(DATA_DIR "rsa.pem");
	add_ok(DATA_DIR "ec384.pem");

	/* A key renamed by hand. */
	snprintf(path, sizeof(path), "%s/9f84686f.crt", dir);
	snprintf(other, sizeof(other), "%s/00000001.crt", dir);
	assert_int_equal(rename(path, other), 0);
	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), -EINVAL);
	snprintf(expected, sizeof(expected), "%s: holds the key with id 9f84686f", other);
	assert_string_equal(why, expected);
	assert_int_equal(ring.count, 77);
	assert_int_equal(rename(other, path), 0);

	/* Made writable by others. */
	assert_int_equal(chmod(path, 0646), 0);
	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), -EPERM);
	snprintf(expected, sizeof(expected),
		 "%s: refused: must be owned by uid %u and not writable by group or others (owner "
		 "%u, mode 0646)",
		 path, (unsigned)geteuid(), (unsigned)geteuid());
	assert_string_equal(why, expected);
	assert_int_equal(chmod(path, 0600), 0);

	/* Replaced by a symlink. */
	snprintf(other, sizeof(other), "%s/elsewhere.pem", base);
	assert_int_equal(rename(path, other), 0);
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), -EINVAL);
	snprintf(expected, sizeof(expected),
		 "%s: refused: a symlink (name the certificate file itself)", path);
	assert_string_equal(why, expected);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rename(other, path), 0);

	/* Something that is not a key file; a dot file (an unfinished write) is left alone. */
	snprintf(other, sizeof(other), "%s/.9f84686f.crt.new", dir);
	assert_int_equal(symlink("/nonexistent", other), 0);
	snprintf(other, sizeof(other), "%s/notes.txt", dir);
	assert_int_equal(symlink("/nonexistent", other), 0);
	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), -EINVAL);
	snprintf(expected, sizeof(expected), "%s: not a key file (KEYID.crt)", other);
	assert_string_equal(why, expected);
	assert_int_equal(unlink(other), 0);

	assert_int_equal(canister_ima_key_store_load(dir, &ring, why, sizeof(why)), 0);
	assert_int_equal(ring.count, 2);
	canister_ima_keyring_free(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_list_remove_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(reload_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
