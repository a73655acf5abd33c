// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: canister's appraisal verdict on files, from their security.ima and certificates. */
#include "integrity/ima_keys.h"
#include "integrity/ima_verify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * ima-appraise keyid CERT
 *   prints the key id canister gives CERT's key, where it came from (skid or
 *   public-key) and the key's kind: "c396a61b skid RSA 2048"; a refused
 *   certificate is one line on stderr and exit status 1.
 * ima-appraise verify [--imasig] --key CERT[,CERT...] FILE...
 *   prints one line per FILE, "FILE: pass REASON: WHY" or "FILE: fail REASON:
 *   WHY" (REASON as canister_ima_verdict_reason_name()); --imasig: hash
 *   values fail, as under appraise_type=imasig.  Exit status 0 when every
 *   file passed, 1 when one failed, 2 when a key or a file could not be read.
 */

static int usage(void)
{
	fprintf(stderr, "usage: ima-appraise keyid CERT | verify [--imasig] --key CERT[,CERT...] "
			"FILE...\n");
	return 2;
}

static int load_keys(char *list, struct canister_ima_keyring *ring)
{
	for (char *path = strtok(list, ","); path; path = strtok(NULL, ",")) {
		struct canister_ima_key key;
		char why[512];
		int r = canister_ima_key_load(path, &key, why, sizeof(why));

		if (r < 0) {
			fprintf(stderr, "ima-appraise: %s\n", why);
			return -1;
		}
		r = canister_ima_keyring_add(ring, &key);
		if (r < 0) {
			fprintf(stderr, "ima-appraise: %s: key id %08x: %s\n", path, key.keyid,
				strerror(-r));
			canister_ima_key_clear(&key);
			return -1;
		}
	}
	return 0;
}

static int verify_one(const struct canister_ima_keyring *ring, const char *path, bool imasig)
{
	struct canister_ima_verdict verdict;
	uint8_t *value = NULL;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		fprintf(stderr, "ima-appraise: %s: %s\n", path, strerror(errno));
		return 2;
	}
	r = canister_ima_xattr_read(fd, &value, &len);
	if (r < 0 && r != -ENODATA) {
		fprintf(stderr, "ima-appraise: %s: security.ima: %s\n", path, strerror(-r));
		close(fd);
		return 2;
	}
	r = canister_ima_verify_file(ring, value, len, fd, imasig, &verdict);
	free(value);
	close(fd);
	if (r < 0) {
		fprintf(stderr, "ima-appraise: %s: cannot read: %s\n", path, strerror(-r));
		return 2;
	}
	printf("%s: %s %s: %s\n", path, verdict.pass ? "pass" : "fail",
	       canister_ima_verdict_reason_name(verdict.reason), verdict.why);
	return verdict.pass ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct canister_ima_keyring ring = { 0 };
	bool imasig = false;
	int i = 2, status = 0;

	if (argc == 3 && strcmp(argv[1], "keyid") == 0) {
		struct canister_ima_key key;
		char why[512];

		if (canister_ima_key_load(argv[2], &key, why, sizeof(why)) < 0) {
			fprintf(stderr, "ima-appraise: %s\n", why);
			return 1;
		}
		printf("%08x %s %s\n", key.keyid,
		       key.keyid_source == CANISTER_IMA_KEY_ID_SKID ? "skid" : "public-key",
		       key.description);
		canister_ima_key_clear(&key);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return usage();
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--imasig") == 0)
			imasig = true;
		else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
			if (load_keys(argv[++i], &ring) < 0) {
				canister_ima_keyring_free(&ring);
				return 2;
			}
		} else
			return usage();
	}
	if (i >= argc)
		return usage();
	for (; i < argc; i++) {
		int r = verify_one(&ring, argv[i], imasig);

		if (r > status)
			status = r;
	}
	canister_ima_keyring_free(&ring);
	return status;
}
