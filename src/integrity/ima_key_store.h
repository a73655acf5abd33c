/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a container's appraisal keys on disk, one certificate file per key id, reloaded whole.
 */
#ifndef CANISTER_INTEGRITY_IMA_KEY_STORE_H
#define CANISTER_INTEGRITY_IMA_KEY_STORE_H

#include "integrity/ima_keys.h"

#include <stddef.h>
#include <stdint.h>

/*
 * A store is a directory (canisterd's integrity_dir/<contid>/keys) holding
 * KEYID.crt for each key, KEYID as 8 lowercase hex digits, the certificate
 * as it was given (DER or PEM), mode 0600.  Names starting with '.' are
 * writes that never finished and are left alone.
 */

/*
 * canister_ima_key_store_add() - checks the certificate in the @len bytes at
 * @cert (canister_ima_key_parse(), @source naming it in reasons) and writes it
 * into @dir as KEYID.crt, whole or not at all (a temporary file, fsync,
 * rename).  Returns 0 with the key id in *ret_keyid, or with @dir unchanged:
 * -EINVAL (the certificate is refused; the reason in @why), -EEXIST (a key
 * with that id is stored), -ENOSPC (CANISTER_IMA_KEYRING_MAX keys), or the
 * -errno of a file operation, with "DIR: reason" in @why.
 */
int canister_ima_key_store_add(const char *dir, const uint8_t *cert, size_t len, const char *source,
			       uint32_t *ret_keyid, char *why, size_t why_len);

/* canister_ima_key_store_remove() - 0, -ENOENT (no key @keyid in @dir) or another -errno. */
int canister_ima_key_store_remove(const char *dir, uint32_t keyid);

/*
 * canister_ima_key_store_load() - every key in @dir, each read with
 * canister_ima_key_load() (regular file, not a symlink, owned by the reader,
 * not writable by others), into a new keyring in *ret_ring.  A missing
 * directory is an empty ring.  Whole or nothing: returns 0, or -errno with
 * "PATH: reason" in @why and *ret_ring untouched, for any file that is
 * refused, a name that is not KEYID.crt, a file whose key has another id
 * than its name says, or more than CANISTER_IMA_KEYRING_MAX keys.
 */
int canister_ima_key_store_load(const char *dir, struct canister_ima_keyring *ret_ring, char *why,
				size_t why_len);

#endif
