/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: PCR 10 and 11 as the file tpm2_quote -o writes and tpm2_checkquote -f reads. */
#ifndef CANISTER_INTEGRITY_TPM_PCRS_FILE_H
#define CANISTER_INTEGRITY_TPM_PCRS_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * tpm_pcrs_file() - the PCR file of tpm2-tools 5.4 for a quote of PCR 10 and
 * PCR 11 (the model's) in the sha1 and sha256 banks (in that order, the
 * order canisterd quotes them): a TPML_PCR_SELECTION, a u32 count of digest
 * lists (1) and one TPML_DIGEST holding @sha1, @model_sha1 (20 bytes each),
 * @sha256 and @model_sha256 (32 bytes each), each as the C structs of
 * the TSS headers lie in memory, little-endian (tpm2-tools writes them with
 * fwrite() and converts each integer from little-endian when it reads them).
 * Returns the file's length; with @buf NULL or @len short, only the length.
 */
size_t tpm_pcrs_file(const uint8_t *sha1, const uint8_t *model_sha1, const uint8_t *sha256,
		     const uint8_t *model_sha256, uint8_t *buf, size_t len);

#endif
