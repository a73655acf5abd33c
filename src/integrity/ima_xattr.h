/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: security.ima values as IMA stores them (evmctl ima_hash, ima_sign), parsed strictly. */
#ifndef CANISTER_INTEGRITY_IMA_XATTR_H
#define CANISTER_INTEGRITY_IMA_XATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The first byte of security.ima (the kernel's enum evm_ima_xattr_type). */
#define CANISTER_IMA_XATTR_DIGEST 0x01	  /* legacy: a bare sha1 digest */
#define CANISTER_IMA_XATTR_EVM_HMAC 0x02  /* security.evm's, never security.ima's */
#define CANISTER_IMA_XATTR_DIGSIG 0x03	  /* a signature (versions 1, 2, 3) */
#define CANISTER_IMA_XATTR_DIGEST_NG 0x04 /* hash algorithm id, digest */
#define CANISTER_IMA_XATTR_EVM_PORTABLE 0x05
#define CANISTER_IMA_XATTR_VERITY_DIGSIG 0x06

/* struct signature_v2_hdr: type, version, hash_algo, be32 keyid, be16 sig_size, then sig. */
#define CANISTER_IMA_SIG_V2_HEADER 9
/* XATTR_SIZE_MAX: no filesystem hands back a longer value. */
#define CANISTER_IMA_XATTR_MAX 65536
/* The largest digest canister takes (sha512). */
#define CANISTER_IMA_XATTR_DIGEST_MAX 64

/* A hash algorithm by the kernel's id (include/uapi/linux/hash_info.h). */
struct canister_ima_xattr_algo {
	uint8_t id;	  /* HASH_ALGO_SHA256 is 4 */
	const char *name; /* as OpenSSL and IMA name it: "sha256" */
	unsigned int size;
	bool signable; /* taken in a signature (sha1 is not) */
};

enum canister_ima_xattr_kind {
	CANISTER_IMA_XATTR_KIND_HASH,	   /* types 0x01 and 0x04: a digest anyone could write */
	CANISTER_IMA_XATTR_KIND_SIGNATURE, /* type 0x03, version 2 */
};

/* A parsed value; pointers into the bytes that were parsed. */
struct canister_ima_xattr {
	enum canister_ima_xattr_kind kind;
	const struct canister_ima_xattr_algo *algo;
	const uint8_t *digest; /* hash: algo->size bytes */
	uint32_t keyid;	       /* signature: as the header holds it, in host order */
	const uint8_t *sig;    /* signature: sig_len bytes (PKCS#1 v1.5 or DER ECDSA) */
	uint16_t sig_len;
};

/*
 * canister_ima_xattr_algo_by_id() - the algorithm with the kernel's hash id
 * @id, or NULL for one canister does not take (md4, md5, ripemd, wp, tgr,
 * sm3, streebog, sha3: refused by name in a reason, see the parser).
 */
const struct canister_ima_xattr_algo *canister_ima_xattr_algo_by_id(unsigned int id);

/*
 * canister_ima_xattr_parse() - the @len bytes of a security.ima value at
 * @value, as the kernel's ima_appraise_measurement() and asymmetric_verify()
 * read them, and stricter: exactly the bytes the type needs, nothing after.
 * Taken:
 *   0x04 ALGO DIGEST                       evmctl ima_hash (sha1..sha512)
 *   0x01 DIGEST                            the legacy sha1 value (21 bytes)
 *   0x03 0x02 ALGO KEYID(be32) SIZE(be16) SIG   evmctl ima_sign, signature v2
 * Refused, each with a reason naming what it found: an empty or oversized
 * value, a type other than these (EVM's, fs-verity's, unknown), signature
 * versions 1 and 3 and unknown ones, algorithms canister does not take (sha1
 * in a signature), a digest of the wrong length, a signature size that
 * disagrees with the bytes there are, an empty signature.
 *
 * Returns 0 with *ret_xattr filled, or with "security.ima: reason" in @why
 * (one printable line) and *ret_xattr untouched:
 *   -EOPNOTSUPP  well-formed, of a kind canister does not verify: signature
 *                versions 1 and 3, fs-verity's type 0x06, an algorithm the
 *                kernel knows but canister does not take (md5, sha3, sm3,
 *                ...; sha1 in a signature) (the kernel's INTEGRITY_UNKNOWN)
 *   -EINVAL      anything else: empty, oversized, EVM's types, unknown types,
 *                versions or algorithm ids, wrong lengths, empty signature
 */
int canister_ima_xattr_parse(const uint8_t *value, size_t len, struct canister_ima_xattr *ret_xattr,
			     char *why, size_t why_len);

#endif
