/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: appraisal's verdict on a file: its security.ima against its digest and a keyring. */
#ifndef CANISTER_INTEGRITY_IMA_VERIFY_H
#define CANISTER_INTEGRITY_IMA_VERIFY_H

#include "integrity/ima_keys.h"
#include "integrity/ima_xattr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum canister_ima_verdict_reason {
	CANISTER_IMA_PASS_SIGNED,	      /* a signature by a key in the ring */
	CANISTER_IMA_PASS_HASH,		      /* a hash value equal to the file's digest */
	CANISTER_IMA_FAIL_NO_XATTR,	      /* no security.ima */
	CANISTER_IMA_FAIL_INVALID_XATTR,      /* security.ima does not parse */
	CANISTER_IMA_FAIL_UNSUPPORTED,	      /* well-formed, of a kind canister does not take */
	CANISTER_IMA_FAIL_SIGNATURE_REQUIRED, /* a hash value where a signature is required */
	CANISTER_IMA_FAIL_HASH_MISMATCH,      /* a hash value of other content */
	CANISTER_IMA_FAIL_UNKNOWN_KEY,	      /* signed with a key id the ring does not hold */
	CANISTER_IMA_FAIL_BAD_SIGNATURE,      /* the key's signature does not verify */
};

struct canister_ima_verdict {
	bool pass;
	enum canister_ima_verdict_reason reason;
	/* Set when security.ima parsed: the algorithm, and for a signature its key id. */
	const struct canister_ima_xattr_algo *algo;
	bool signed_value;
	uint32_t keyid;
	char why[256]; /* one printable line */
};

/*
 * canister_ima_verdict_reason_name() - a short name for logs and records:
 * "signed", "hash", "no-xattr", "invalid-xattr", "unsupported",
 * "signature-required", "invalid-hash", "unknown-key", "invalid-signature".
 */
const char *canister_ima_verdict_reason_name(enum canister_ima_verdict_reason reason);

/*
 * canister_ima_verify_digest() - the verdict on a file whose security.ima is
 * @xattr and whose content has @digest in @xattr->algo, as the kernel's
 * ima_appraise_measurement() decides it:
 * - a signature passes when @ring holds a key with its key id and the
 *   signature over @digest verifies with it (RSA: PKCS#1 v1.5 with the
 *   digest's algorithm; ECDSA: DER, as the kernel's "x962"), whether or not
 *   @signature_required;
 * - a hash value fails when @signature_required (appraise_type=imasig: IMA's
 *   "IMA-signature-required"), else passes when it equals @digest.
 * Never fails to give a verdict: an OpenSSL error is a failed verification.
 */
void canister_ima_verify_digest(const struct canister_ima_keyring *ring,
				const struct canister_ima_xattr *xattr, const uint8_t *digest,
				bool signature_required, struct canister_ima_verdict *ret_verdict);

/*
 * canister_ima_file_digest() - the digest in @algo of the whole content of
 * @fd, read with pread() from offset 0 (the descriptor's offset is left
 * alone).  Returns 0 with algo->size bytes in @ret_digest, or -errno (the
 * read's, -ENOMEM, -EIO for a digest OpenSSL cannot compute).
 */
int canister_ima_file_digest(int fd, const struct canister_ima_xattr_algo *algo,
			     uint8_t *ret_digest);

/*
 * canister_ima_verify_file() - the verdict on the open file @fd with the
 * security.ima value @value (@len bytes; @value NULL when the file has none):
 * parses it, hashes the file in the algorithm it names, and decides with
 * canister_ima_verify_digest().  Returns 0 with *ret_verdict filled, or
 * -errno when the file could not be read (no verdict: the caller's fail
 * policy decides).
 */
int canister_ima_verify_file(const struct canister_ima_keyring *ring, const uint8_t *value,
			     size_t len, int fd, bool signature_required,
			     struct canister_ima_verdict *ret_verdict);

/*
 * canister_ima_xattr_read() - the security.ima value of @fd, malloc()ed in
 * *ret_value (free() it) with its length.  Returns 0, -ENODATA when the file
 * has none, or another -errno (-EOPNOTSUPP: the filesystem keeps no xattrs).
 */
int canister_ima_xattr_read(int fd, uint8_t **ret_value, size_t *ret_len);

#endif
