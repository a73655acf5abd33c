// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: the appraisal of a container that brings none of its
 * own comes from canister.conf (integrity_appraise, integrity_container_keys,
 * integrity_host_keys); each part a container sets is its own from then on,
 * also across a restart with other defaults; a refused key directory keeps
 * nothing loaded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "appraise_fixture.h"

#include "integrity/appraise.h"

#include <canister/abi.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The fixture's container keys (rsa) named by the config. */
static void name_container_keys(void)
{
	snprintf(config.integrity_container_keys, sizeof(config.integrity_container_keys), "%s",
		 container_keys);
}

static bool has_key(const struct appraise_snapshot *s, uint32_t keyid)
{
	return canister_ima_keyring_find(&s->keyring, keyid) != NULL;
}

/* Container @contid's snapshot now: its mode, host-keys choice, own and config keys. */
static void expect(uint64_t contid, enum canister_appraise_mode mode, bool host_keys,
		   size_t own_keys, size_t config_keys, size_t keys)
{
	struct appraise_snapshot *s = appraise_get(contid);

	assert_int_equal(s->mode, mode);
	assert_int_equal(s->host_keys, host_keys);
	assert_int_equal(s->own_keys, own_keys);
	assert_int_equal(s->config_keys, config_keys);
	assert_int_equal(s->keyring.count, keys);
	appraise_put(s);
}

static void test_defaults_and_own_parts(void **state)
{
	uint8_t ec[8192];
	size_t ec_len = data_file(DATA_DIR "ec256.pem", ec, sizeof(ec));
	const enum canister_appraise_mode log = CANISTER_APPRAISE_LOG;
	const bool yes = true;
	struct appraise_snapshot *s;
	struct canister_appraisal_reply *listing = malloc(sizeof(*listing));
	uint64_t generation;
	uint32_t keyid;
	char why[512], path[CANISTER_CONFIG_PATH_MAX + 16];

	(void)state;
	assert_non_null(listing);
	name_container_keys();
	config.integrity_appraise = CANISTER_APPRAISE_ENFORCE;
	assert_int_equal(appraise_open(&config, why, sizeof(why)), 0);

	/* No appraisal of its own: enforce, the config's container key, not the host's. */
	s = appraise_get(7);
	assert_int_equal(s->mode, CANISTER_APPRAISE_ENFORCE);
	assert_true(has_key(s, RSA_KEYID));
	assert_false(has_key(s, EC256_KEYID));
	assert_int_not_equal(s->generation, 0);
	appraise_put(s);
	expect(7, CANISTER_APPRAISE_ENFORCE, false, 0, 1, 1);
	/* What the backstop and FILE_CHECK read: the default binds it, held or not. */
	assert_int_equal(appraise_default_mode(), CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(appraise_mode_of(7), CANISTER_APPRAISE_ENFORCE);
	/* `key list` names the key's file as where it comes from. */
	appraise_describe(7, listing);
	assert_int_equal(listing->mode, CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(listing->key_count, 1);
	snprintf(path, sizeof(path), "%s/rsa.pem", config.integrity_container_keys);
	assert_string_equal(listing->keys[0].origin, path);

	/* Its mode set: its own; the config's keys still count, it was given none. */
	generation = appraise_generation();
	assert_int_equal(appraise_set(7, &log, NULL, why, sizeof(why)), 0);
	assert_true(appraise_generation() > generation);
	expect(7, CANISTER_APPRAISE_LOG, false, 0, 1, 1);
	assert_int_equal(appraise_mode_of(7), CANISTER_APPRAISE_LOG);
	assert_int_equal(appraise_mode_of(11), CANISTER_APPRAISE_ENFORCE);

	/* Given a key: only its own count; its mode is still the default. */
	assert_int_equal(appraise_key_add(8, ec, ec_len, &keyid, why, sizeof(why)), 0);
	assert_int_equal(keyid, EC256_KEYID);
	s = appraise_get(8);
	assert_false(has_key(s, RSA_KEYID));
	appraise_put(s);
	expect(8, CANISTER_APPRAISE_ENFORCE, false, 1, 0, 1);
	/* The config's key is not its to remove, and the refusal says whose it is. */
	assert_int_equal(appraise_key_remove(9, RSA_KEYID, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "container 9 has no key with id 15069a3b of its own"));
	assert_non_null(strstr(why, "rsa.pem"));
	/* Its last key removed: no key at all, not the config's again. */
	assert_int_equal(appraise_key_remove(8, EC256_KEYID, why, sizeof(why)), 0);
	expect(8, CANISTER_APPRAISE_ENFORCE, false, 0, 0, 0);

	/* The host's keys chosen by a container that never chose: both kinds of key. */
	assert_int_equal(appraise_set(10, NULL, &yes, why, sizeof(why)), 0);
	expect(10, CANISTER_APPRAISE_ENFORCE, true, 0, 1, 2);

	/*
	 * Restarted with other defaults: what a container set stays; what it
	 * did not set follows the new config.
	 */
	appraise_close();
	config.integrity_appraise = CANISTER_APPRAISE_OFF;
	config.integrity_host_keys = true;
	assert_int_equal(appraise_open(&config, why, sizeof(why)), 0);
	expect(7, CANISTER_APPRAISE_LOG, false, 0, 1, 1);     /* its mode and choice */
	expect(8, CANISTER_APPRAISE_OFF, true, 0, 0, 1);      /* its (empty) keys; the host's now */
	expect(10, CANISTER_APPRAISE_ENFORCE, true, 0, 1, 2); /* set with the old default */
	expect(11, CANISTER_APPRAISE_OFF, true, 0, 1, 2);     /* nothing of its own */
	free(listing);
}

/* A key directory refused stops the start, names the file, and keeps nothing loaded. */
static void test_refused_directory(void **state)
{
	struct appraise_counts counts;
	char why[512], path[CANISTER_CONFIG_PATH_MAX + 16];

	(void)state;
	name_container_keys();
	config.integrity_appraise = CANISTER_APPRAISE_ENFORCE;
	snprintf(path, sizeof(path), "%s/link.pem", config.integrity_container_keys);
	assert_int_equal(symlink(DATA_DIR "rsa.pem", path), 0);
	assert_true(appraise_open(&config, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "link.pem: refused: a symlink"));
	/* The host's keys, loaded first, are gone again; a container is off with no keys. */
	appraise_counts(&counts);
	assert_int_equal(counts.host_key_count, 0);
	expect(7, CANISTER_APPRAISE_OFF, false, 0, 0, 0);
	unlink(path);

	snprintf(path, sizeof(path), "%s/garbage.pem", config.integrity_container_keys);
	data_file_copy(DATA_DIR "content", path, 0600);
	assert_int_equal(appraise_open(&config, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "garbage.pem"));
	unlink(path);

	assert_int_equal(chmod(config.integrity_container_keys, 0777), 0);
	assert_int_equal(appraise_open(&config, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "integrity_container_keys "));
	assert_non_null(strstr(why, "not writable by group or others"));
	assert_int_equal(chmod(config.integrity_container_keys, 0700), 0);

	snprintf(path, sizeof(path), "%s/rsa.pem", config.integrity_container_keys);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(appraise_open(&config, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "rsa.pem"));
	assert_int_equal(chmod(path, 0600), 0);

	/* The same key in both directories is one key. */
	snprintf(path, sizeof(path), "%s/ec256.pem", config.integrity_container_keys);
	data_file_copy(DATA_DIR "ec256.pem", path, 0600);
	config.integrity_host_keys = true;
	assert_int_equal(appraise_open(&config, why, sizeof(why)), 0);
	expect(7, CANISTER_APPRAISE_ENFORCE, true, 0, 2, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults_and_own_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_directory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
