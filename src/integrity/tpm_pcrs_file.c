// SPDX-License-Identifier: GPL-2.0-only
/* canister: PCR 10 and 11 as the file tpm2_quote -o writes and tpm2_checkquote -f reads. */
#include "integrity/tpm_pcrs_file.h"

#include <endian.h>
#include <string.h>
#include <tss2/tss2_tpm2_types.h>

/* The format is the structs' memory image: the TSS headers fix their layout on this ABI. */
_Static_assert(sizeof(TPML_PCR_SELECTION) == 132, "TPML_PCR_SELECTION as tpm2-tools writes it");
_Static_assert(sizeof(TPML_DIGEST) == 532, "TPML_DIGEST as tpm2-tools writes it");

size_t tpm_pcrs_file(const uint8_t *sha1, const uint8_t *model_sha1, const uint8_t *sha256,
		     const uint8_t *model_sha256, uint8_t *buf, size_t len)
{
	const size_t need = sizeof(TPML_PCR_SELECTION) + sizeof(uint32_t) + sizeof(TPML_DIGEST);
	TPML_PCR_SELECTION selection;
	TPML_DIGEST digests;
	uint32_t lists = htole32(1);

	if (!buf || len < need)
		return need;
	/* Zeroed whole: the padding and unused entries are in the file too. */
	memset(&selection, 0, sizeof(selection));
	memset(&digests, 0, sizeof(digests));
	selection.count = htole32(2);
	selection.pcrSelections[0].hash = htole16(TPM2_ALG_SHA1);
	selection.pcrSelections[1].hash = htole16(TPM2_ALG_SHA256);
	/* PCR 10 and the model's PCR 11 (tpm.h, TPM_MODEL_PCR) in both banks. */
	for (int i = 0; i < 2; i++) {
		selection.pcrSelections[i].sizeofSelect = 3;
		selection.pcrSelections[i].pcrSelect[10 / 8] = 1 << (10 % 8) | 1 << (11 % 8);
	}
	digests.count = htole32(4);
	digests.digests[0].size = htole16(TPM2_SHA1_DIGEST_SIZE);
	memcpy(digests.digests[0].buffer, sha1, TPM2_SHA1_DIGEST_SIZE);
	digests.digests[1].size = htole16(TPM2_SHA1_DIGEST_SIZE);
	memcpy(digests.digests[1].buffer, model_sha1, TPM2_SHA1_DIGEST_SIZE);
	digests.digests[2].size = htole16(TPM2_SHA256_DIGEST_SIZE);
	memcpy(digests.digests[2].buffer, sha256, TPM2_SHA256_DIGEST_SIZE);
	digests.digests[3].size = htole16(TPM2_SHA256_DIGEST_SIZE);
	memcpy(digests.digests[3].buffer, model_sha256, TPM2_SHA256_DIGEST_SIZE);
	memcpy(buf, &selection, sizeof(selection));
	memcpy(buf + sizeof(selection), &lists, sizeof(lists));
	memcpy(buf + sizeof(selection) + sizeof(lists), &digests, sizeof(digests));
	return need;
}
