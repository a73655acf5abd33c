/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a container's software PCRs (sha1 and sha256 banks), extended as IMA extends the TPM's.
 */
#ifndef CANISTER_INTEGRITY_IMA_PCR_H
#define CANISTER_INTEGRITY_IMA_PCR_H

#include <stdint.h>
#include <stdio.h>

/* CONFIG_IMA_MEASURE_PCR_IDX: the PCR every measurement of canister's goes into. */
#define CANISTER_IMA_PCR 10
/* A TPM's PCRs, and the lines of the file `evmctl ima_measurement --pcrs` reads. */
#define CANISTER_IMA_PCRS 24
#define CANISTER_IMA_BANK_DIGEST_MAX 32

enum canister_ima_bank {
	CANISTER_IMA_BANK_SHA1,
	CANISTER_IMA_BANK_SHA256,
	CANISTER_IMA_BANKS,
};

/* One entry's template digest in each bank; the sha1 one takes the first 20 bytes. */
struct canister_ima_digests {
	uint8_t bank[CANISTER_IMA_BANKS][CANISTER_IMA_BANK_DIGEST_MAX];
};

struct canister_ima_pcrs {
	uint8_t value[CANISTER_IMA_BANKS][CANISTER_IMA_PCRS][CANISTER_IMA_BANK_DIGEST_MAX];
};

/* canister_ima_bank_name() - "sha1" or "sha256" (NULL for anything else). */
const char *canister_ima_bank_name(enum canister_ima_bank bank);

/* canister_ima_bank_size() - 20 or 32 (0 for anything else). */
unsigned int canister_ima_bank_size(enum canister_ima_bank bank);

/* canister_ima_bank_by_name() - 0 with the bank named @name, or -ENOENT. */
int canister_ima_bank_by_name(const char *name, enum canister_ima_bank *ret_bank);

/*
 * canister_ima_template_digests() - the template digest of template data
 * @data (@len bytes) in every bank: each bank's hash of the data as the
 * binary list holds it (IMA's ima_calc_field_array_hash() hashes each field's
 * u32 length and bytes, which is that data).  Returns 0, or -ENOMEM or -EIO
 * when libcrypto fails.
 */
int canister_ima_template_digests(const uint8_t *data, uint32_t len,
				  struct canister_ima_digests *ret_digests);

/* canister_ima_pcrs_reset() - every PCR of every bank to zeros, a TPM's PCR 10 after reset. */
void canister_ima_pcrs_reset(struct canister_ima_pcrs *pcrs);

/*
 * canister_ima_pcrs_extend() - PCR @pcr of each bank becomes
 * H(PCR || digest), the bank's digest from @digests, or for a violation
 * (@digests NULL) all 0xff, which is what IMA extends in place of the zeros
 * it lists.  Returns 0, -EINVAL for @pcr >= CANISTER_IMA_PCRS, or -ENOMEM /
 * -EIO when libcrypto fails (the PCRs are then unchanged).
 */
int canister_ima_pcrs_extend(struct canister_ima_pcrs *pcrs, unsigned int pcr,
			     const struct canister_ima_digests *digests);

/*
 * canister_ima_pcrs_write() - the 24 lines "PCR-NN: HEX" of @bank (NN from
 * 00, lowercase hex of the bank's size), the per-bank file that
 * `evmctl ima_measurement --pcrs ALGO,FILE` reads.
 */
void canister_ima_pcrs_write(const struct canister_ima_pcrs *pcrs, enum canister_ima_bank bank,
			     FILE *out);

#endif
