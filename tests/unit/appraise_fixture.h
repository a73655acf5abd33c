/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister unit tests: the appraisal tables' fixture: a temporary
 * integrity_dir, an integrity_keys directory holding ec256.pem, and a
 * directory for integrity_container_keys holding rsa.pem (the config names it
 * only where a test sets it: APPRAISE_FIXTURE_CONTAINER_KEYS).
 */
#ifndef CANISTER_TESTS_UNIT_APPRAISE_FIXTURE_H
#define CANISTER_TESTS_UNIT_APPRAISE_FIXTURE_H

#include "data_file.h"

#include "integrity/appraise.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DATA_DIR "tests/unit/data/ima-keys/"
#define RSA_KEYID 0x15069a3b
#define EC256_KEYID 0xc8980123

static struct canister_config config;
static char base[64];
static char container_keys[CANISTER_CONFIG_PATH_MAX];

static int setup(void **state)
{
	char path[CANISTER_CONFIG_PATH_MAX + 16];

	(void)state;
	snprintf(base, sizeof(base), "/tmp/canister-test-appraise.XXXXXX");
	if (!mkdtemp(base))
		return -1;
	memset(&config, 0, sizeof(config));
	snprintf(config.integrity_dir, sizeof(config.integrity_dir), "%s/integrity", base);
	snprintf(config.integrity_keys, sizeof(config.integrity_keys), "%s/host", base);
	snprintf(container_keys, sizeof(container_keys), "%s/containers", base);
	if (mkdir(config.integrity_dir, 0700) < 0 || mkdir(config.integrity_keys, 0700) < 0 ||
	    mkdir(container_keys, 0700) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/ec256.pem", config.integrity_keys);
	data_file_copy(DATA_DIR "ec256.pem", path, 0600);
	snprintf(path, sizeof(path), "%s/rsa.pem", container_keys);
	data_file_copy(DATA_DIR "rsa.pem", path, 0600);
	return 0;
}

static int teardown(void **state)
{
	char command[256];

	(void)state;
	appraise_close();
	snprintf(command, sizeof(command), "rm -rf '%s'", base);
	return system(command) == 0 ? 0 : -1;
}

#endif
