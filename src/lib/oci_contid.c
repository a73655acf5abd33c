// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the contid an OCI container gets from its id when no annotation chooses one. */
#include "lib/oci_contid.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

int canister_oci_derive_contid(const char *id, uint64_t *ret_contid)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	uint64_t contid = 0;

	if (!id || !*id)
		return -EINVAL;
	if (!EVP_Digest(id, strlen(id), digest, &digest_len, EVP_sha256(), NULL) ||
	    digest_len < sizeof(contid))
		return -EIO;
	/* Big-endian, so the value is the digest's leading hex digits, as sha256sum shows them. */
	for (size_t i = 0; i < sizeof(contid); i++)
		contid = contid << 8 | digest[i];
	*ret_contid = contid & CANISTER_OCI_CONTID_MASK;
	return 0;
}
