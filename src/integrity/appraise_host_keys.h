/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: a directory of appraisal certificates named by canister.conf: the
 * host's keys (integrity_keys), the keys of containers with none of their own
 * (integrity_container_keys).
 */
#ifndef CANISTERD_INTEGRITY_APPRAISE_HOST_KEYS_H
#define CANISTERD_INTEGRITY_APPRAISE_HOST_KEYS_H

#include "integrity/ima_keys.h"

#include <stddef.h>

/* A host key's file, as `canister integrity key list` shows where a key came from. */
#define APPRAISE_HOST_KEY_PATH_MAX 255

struct appraise_host_keys {
	struct canister_ima_keyring ring;
	char (*paths)[APPRAISE_HOST_KEY_PATH_MAX + 1]; /* paths[i]: ring.keys[i]'s file */
};

/*
 * appraise_host_keys_load() - every certificate in @dir, which the config
 * key @what names (in messages): each entry not
 * starting with '.' is one certificate file, read with
 * canister_ima_key_load() (a regular file, not a symlink, owned by
 * canisterd's user, not writable by group or others).  @dir itself must be
 * a directory owned by canisterd's user and not writable by group or others:
 * whoever can put a file there would otherwise choose what containers run.
 * Whole or nothing: returns 0 with *ret_keys (at most
 * CANISTER_IMA_KEYRING_MAX keys), or -errno with "PATH: reason" in @why and
 * *ret_keys untouched, for a directory or file refused, two keys with one
 * id, a path longer than APPRAISE_HOST_KEY_PATH_MAX, or too many keys.
 */
int appraise_host_keys_load(const char *what, const char *dir, struct appraise_host_keys *ret_keys,
			    char *why, size_t why_len);

void appraise_host_keys_free(struct appraise_host_keys *keys);

#endif
