// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: appraisal settings and their file, a chain's mode, and
 * the snapshots the gate takes (replaced whole on a change, kept intact for a
 * holder, reloaded from disk, the host's keys counted on request).
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

static int parse(const char *text, struct appraise_settings *ret, char *why)
{
	why[0] = '\0';
	return appraise_settings_parse(text, strlen(text), "f", ret, why, 256);
}

static void test_settings_round_trip(void **state)
{
	struct appraise_settings in = { CANISTER_APPRAISE_ENFORCE, true }, out = { 0 };
	char text[APPRAISE_SETTINGS_TEXT_MAX], why[256];

	(void)state;
	appraise_settings_format(&in, text);
	assert_string_equal(text, "mode = enforce\nhost_keys = yes\n");
	assert_int_equal(parse(text, &out, why), 0);
	assert_int_equal(out.mode, CANISTER_APPRAISE_ENFORCE);
	assert_true(out.host_keys);
	assert_int_equal(parse("# comment\n\nhost_keys = no\nmode = log\n", &out, why), 0);
	assert_int_equal(out.mode, CANISTER_APPRAISE_LOG);
	assert_false(out.host_keys);
}

static void test_settings_refused(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "mode = strict\nhost_keys = no\n", "f:1: mode 'strict': off, log or enforce" },
		{ "mode = off\nhost_keys = 1\n", "f:2: host_keys '1': yes or no" },
		{ "mode = off\nmode = log\nhost_keys = no\n", "f:2: mode given twice" },
		{ "mode = off\ncolour = red\n", "f:2: unknown key 'colour' (mode, host_keys)" },
		{ "mode = off\n", "f:1: no host_keys" },
		{ "host_keys = no\n", "f:1: no mode" },
		{ "", "f:1: no mode" },
		{ "mode off\n", "f:1: expected 'key = value'" },
		/* A control byte read from the file is not echoed: the message stays one line. */
		{ "mode = en\x1b[2Kforce\nhost_keys = no\n",
		  "f:1: mode 'en?[2Kforce': off, log or enforce" },
	};
	struct appraise_settings untouched = { CANISTER_APPRAISE_LOG, true }, out;
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = untouched;
		assert_int_equal(parse(cases[i].text, &out, why), -EINVAL);
		assert_string_equal(why, cases[i].why);
		assert_memory_equal(&out, &untouched, sizeof(out));
	}
}

static void test_effective_mode(void **state)
{
	static const enum canister_appraise_mode chain[] = { CANISTER_APPRAISE_OFF,
							     CANISTER_APPRAISE_ENFORCE,
							     CANISTER_APPRAISE_LOG };

	(void)state;
	assert_int_equal(appraise_effective_mode(chain, 0), CANISTER_APPRAISE_OFF);
	assert_int_equal(appraise_effective_mode(chain, 1), CANISTER_APPRAISE_OFF);
	/* An ancestor in enforce binds the container nested in it, whatever its own. */
	assert_int_equal(appraise_effective_mode(chain, 2), CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(appraise_effective_mode(chain + 2, 1), CANISTER_APPRAISE_LOG);
}

/* The snapshot API, against a temporary integrity_dir and integrity_keys. */

static size_t cert(const char *name, uint8_t *buf, size_t size)
{
	return data_file(name, buf, size);
}

static void test_snapshots(void **state)
{
	uint8_t rsa[8192];
	size_t rsa_len = cert(DATA_DIR "rsa.pem", rsa, sizeof(rsa));
	struct appraise_snapshot *unknown, *before, *after, *levels[2];
	const enum canister_appraise_mode enforce = CANISTER_APPRAISE_ENFORCE;
	const bool yes = true;
	enum canister_appraise_mode modes[1];
	uint64_t generation, contids[1];
	uint32_t keyid;
	char why[512];

	(void)state;
	assert_int_equal(appraise_open(&config, why, sizeof(why)), 0);
	/* A container canisterd holds nothing for: off, no keys, the host's not counted. */
	unknown = appraise_get(7);
	assert_int_equal(unknown->mode, CANISTER_APPRAISE_OFF);
	assert_false(unknown->host_keys);
	assert_int_equal(unknown->keyring.count, 0);
	appraise_put(unknown);

	generation = appraise_generation();
	assert_int_equal(appraise_key_add(7, rsa, rsa_len, &keyid, why, sizeof(why)), 0);
	assert_int_equal(keyid, RSA_KEYID);
	assert_true(appraise_generation() > generation);
	before = appraise_get(7);
	assert_int_equal(before->own_keys, 1);
	assert_non_null(canister_ima_keyring_find(&before->keyring, RSA_KEYID));
	assert_int_equal(before->generation, appraise_generation());

	/* A change replaces the snapshot; the one held stays as it was. */
	assert_int_equal(appraise_key_remove(7, RSA_KEYID, why, sizeof(why)), 0);
	after = appraise_get(7);
	assert_ptr_not_equal(after, before);
	assert_int_equal(after->keyring.count, 0);
	assert_true(after->generation > before->generation);
	assert_non_null(canister_ima_keyring_find(&before->keyring, RSA_KEYID));
	appraise_put(before);
	appraise_put(after);

	/* A key added makes the appraisal its own, in the default mode (off here). */
	assert_int_equal(appraise_held(contids, modes, 1), 1);
	assert_int_equal(contids[0], 7);
	assert_int_equal(modes[0], CANISTER_APPRAISE_OFF);
	assert_int_equal(appraise_mode_of(7), CANISTER_APPRAISE_OFF);
	assert_int_equal(appraise_default_mode(), CANISTER_APPRAISE_OFF);

	/* The host's keys, on request; the mode in a chain. */
	assert_int_equal(appraise_set(7, &enforce, &yes, why, sizeof(why)), 0);
	assert_int_equal(appraise_held(NULL, NULL, 0), 1);
	assert_int_equal(appraise_held(contids, modes, 1), 1);
	assert_int_equal(contids[0], 7);
	assert_int_equal(modes[0], CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(appraise_mode_of(7), CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(appraise_mode_of(8), CANISTER_APPRAISE_OFF);
	appraise_get_chain((const uint64_t[]){ 8, 7 }, 2, levels);
	assert_int_equal(levels[0]->mode, CANISTER_APPRAISE_OFF);
	assert_int_equal(levels[1]->mode, CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(appraise_chain_mode(levels, 2), CANISTER_APPRAISE_ENFORCE);
	assert_int_equal(levels[1]->own_keys, 0);
	assert_non_null(canister_ima_keyring_find(&levels[1]->keyring, EC256_KEYID));
	appraise_put_chain(levels, 2);

	/* Refusals change nothing. */
	generation = appraise_generation();
	assert_int_equal(
		appraise_key_add(7, (const uint8_t *)"garbage", 7, &keyid, why, sizeof(why)),
		-EINVAL);
	/* ... nor for a container with no appraisal yet: no entry is made for it. */
	assert_int_equal(
		appraise_key_add(9, (const uint8_t *)"garbage", 7, &keyid, why, sizeof(why)),
		-EINVAL);
	assert_int_equal(appraise_key_remove(7, 0x01020304, why, sizeof(why)), -ENOENT);
	assert_string_equal(why, "container 7 has no key with id 01020304");
	assert_int_equal(appraise_generation(), generation);

	/* Reloaded as it was left. */
	assert_int_equal(appraise_key_add(7, rsa, rsa_len, &keyid, why, sizeof(why)), 0);
	appraise_close();
	assert_int_equal(appraise_open(&config, why, sizeof(why)), 0);
	after = appraise_get(7);
	assert_int_equal(after->mode, CANISTER_APPRAISE_ENFORCE);
	assert_true(after->host_keys);
	assert_int_equal(after->own_keys, 1);
	assert_int_equal(after->keyring.count, 2);
	appraise_put(after);
}

static void test_host_keys_refused(void **state)
{
	char why[512], path[CANISTER_CONFIG_PATH_MAX + 16];

	(void)state;
	snprintf(path, sizeof(path), "%s/link.pem", config.integrity_keys);
	assert_int_equal(symlink(DATA_DIR "rsa.pem", path), 0);
	assert_true(appraise_open(&config, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "link.pem: refused: a symlink"));
	unlink(path);
	assert_int_equal(chmod(config.integrity_keys, 0777), 0);
	assert_int_equal(appraise_open(&config, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "not writable by group or others"));
	assert_int_equal(chmod(config.integrity_keys, 0700), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_round_trip),
		cmocka_unit_test(test_settings_refused),
		cmocka_unit_test(test_effective_mode),
		cmocka_unit_test_setup_teardown(test_snapshots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_keys_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
