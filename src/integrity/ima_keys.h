/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: appraisal keys, X.509 certificates with the 4-byte key id IMA's signatures name. */
#ifndef CANISTER_INTEGRITY_IMA_KEYS_H
#define CANISTER_INTEGRITY_IMA_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* A certificate file is one certificate: a few KiB; a chain or a bundle is not taken. */
#define CANISTER_IMA_KEY_FILE_MAX (64 * 1024)
/* The most keys one keyring holds. */
#define CANISTER_IMA_KEYRING_MAX 64
/* The shortest RSA modulus taken. */
#define CANISTER_IMA_RSA_MIN_BITS 2048

enum canister_ima_key_id_source {
	CANISTER_IMA_KEY_ID_SKID, /* the certificate's subject key identifier (the kernel's) */
	CANISTER_IMA_KEY_ID_PUBLIC_KEY, /* no SKID: sha1 of the public key (evmctl's) */
};

struct canister_ima_key {
	uint32_t keyid;
	enum canister_ima_key_id_source keyid_source;
	EVP_PKEY *pkey;
	char description[96]; /* "RSA 2048", "ECDSA P-256" */
	char subject[256];    /* the certificate's subject, one line, for listings */
};

struct canister_ima_keyring {
	struct canister_ima_key *keys;
	size_t count;
};

/*
 * canister_ima_key_parse() - the public key of the X.509 certificate in the
 * @len bytes at @data: DER, or PEM holding exactly one CERTIFICATE and nothing
 * else.  The key id is the one a signature v2 names and the kernel looks up
 * (request_asymmetric_key() "id:%08x" matched against the tail of the key's
 * ids): the last 4 bytes of the subject key identifier, big-endian.  A
 * certificate without SKID gets evmctl's id (calc_keyid_v2(): the last 4
 * bytes of sha1 over the subjectPublicKey bits), which is also the SKID
 * `openssl req -x509` writes by default; the kernel could not find such a
 * key at all.  Taken: RSA of 2048 bits or more (PKCS#1 v1.5 signatures), ECDSA
 * on P-256 and P-384.  @source names the data in the reason.
 *
 * Returns 0 with *ret_key filled (canister_ima_key_clear() it), or -EINVAL
 * with "SOURCE: reason" in @why: not one certificate (trailing bytes, several
 * PEM blocks, garbage), a key of another kind or size, a SKID shorter than 4
 * bytes, a key usage that excludes digitalSignature; -ENOMEM.
 */
int canister_ima_key_parse(const uint8_t *data, size_t len, const char *source,
			   struct canister_ima_key *ret_key, char *why, size_t why_len);

/*
 * canister_ima_key_load() - canister_ima_key_parse() of the certificate file
 * @path, which must be a regular file (not a symlink: it is opened with
 * O_NOFOLLOW), owned by the caller's effective uid, not writable by group or
 * others and at most CANISTER_IMA_KEY_FILE_MAX bytes: whoever can write the
 * file decides what runs.  Returns 0, or a -errno (-ENOENT, -EPERM, -EINVAL,
 * -EFBIG, -ENOMEM, ...) with "PATH: reason" in @why.
 */
int canister_ima_key_load(const char *path, struct canister_ima_key *ret_key, char *why,
			  size_t why_len);

void canister_ima_key_clear(struct canister_ima_key *key);

/*
 * canister_ima_keyring_add() - @key joins @ring, which takes it over (on
 * success *key is cleared).  Returns 0, or with @ring and @key unchanged:
 * -EEXIST (a key with the same key id is there: the id alone picks the key
 * that checks a signature, so two would make the verdict depend on order),
 * -ENOSPC (CANISTER_IMA_KEYRING_MAX keys), -ENOMEM.
 */
int canister_ima_keyring_add(struct canister_ima_keyring *ring, struct canister_ima_key *key);

/* canister_ima_keyring_find() - the key with id @keyid, or NULL. */
const struct canister_ima_key *canister_ima_keyring_find(const struct canister_ima_keyring *ring,
							 uint32_t keyid);

/* canister_ima_keyring_remove() - 0, or -ENOENT when no key has id @keyid. */
int canister_ima_keyring_remove(struct canister_ima_keyring *ring, uint32_t keyid);

void canister_ima_keyring_free(struct canister_ima_keyring *ring);

#endif
