/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the contid an OCI container gets from its id when no annotation chooses one. */
#ifndef CANISTER_LIB_OCI_CONTID_H
#define CANISTER_LIB_OCI_CONTID_H

#include <stdint.h>

/* Derived contids fit in 53 bits, so JSON readers that use doubles keep them exact. */
#define CANISTER_OCI_CONTID_MASK ((1ULL << 53) - 1)

/*
 * canister_oci_derive_contid() - the contid of the OCI container named @id:
 * the first 8 bytes of SHA-256(@id), read big-endian, masked to 53 bits.
 *
 * The same id gives the same contid on every host and after every restart, so
 * records correlate without a mapping table.  Two ids may still give the same
 * contid (about n^2 / 2^54 for n live containers); canisterd refuses the second
 * registration with ENOTUNIQ because the contid is bound to the first one's
 * name.  The collision is reported, never wrapped or rehashed into another
 * value: a contid that silently depends on which container came first would
 * no longer be derivable from the id.  An orchestrator that hits one sets the
 * "org.canister.contid" annotation instead.
 *
 * Returns 0 and sets *ret_contid, or:
 *   -EINVAL  @id is NULL or empty
 *   -EIO     libcrypto could not compute the digest
 */
int canister_oci_derive_contid(const char *id, uint64_t *ret_contid);

#endif
