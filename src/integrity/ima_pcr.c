// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a container's software PCRs (sha1 and sha256 banks), extended as IMA extends the TPM's.
 */
#include "integrity/ima_pcr.h"

#include "integrity/ima_template.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned int size;
} banks[CANISTER_IMA_BANKS] = {
	[CANISTER_IMA_BANK_SHA1] = { "sha1", 20 },
	[CANISTER_IMA_BANK_SHA256] = { "sha256", 32 },
};

static const EVP_MD *bank_md(enum canister_ima_bank bank)
{
	return bank == CANISTER_IMA_BANK_SHA1 ? EVP_sha1() : EVP_sha256();
}

const char *canister_ima_bank_name(enum canister_ima_bank bank)
{
	return (unsigned int)bank < CANISTER_IMA_BANKS ? banks[bank].name : NULL;
}

unsigned int canister_ima_bank_size(enum canister_ima_bank bank)
{
	return (unsigned int)bank < CANISTER_IMA_BANKS ? banks[bank].size : 0;
}

int canister_ima_bank_by_name(const char *name, enum canister_ima_bank *ret_bank)
{
	for (unsigned int i = 0; i < CANISTER_IMA_BANKS; i++) {
		if (strcmp(banks[i].name, name) == 0) {
			*ret_bank = (enum canister_ima_bank)i;
			return 0;
		}
	}
	return -ENOENT;
}

/* H(first || second), or H(first) when @second is NULL, into @out. */
static int hash_two(EVP_MD_CTX *ctx, enum canister_ima_bank bank, const void *first,
		    size_t first_len, const void *second, size_t second_len, uint8_t *out)
{
	unsigned int out_len;

	if (EVP_DigestInit_ex(ctx, bank_md(bank), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, first, first_len) != 1 ||
	    (second && EVP_DigestUpdate(ctx, second, second_len) != 1) ||
	    EVP_DigestFinal_ex(ctx, out, &out_len) != 1 || out_len != banks[bank].size)
		return -EIO;
	return 0;
}

int canister_ima_template_digests(const uint8_t *data, uint32_t len,
				  struct canister_ima_digests *ret_digests)
{
	struct canister_ima_digests digests = { 0 };
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int r = 0;

	if (!ctx)
		return -ENOMEM;
	/* Each bank hashes the same bytes with its own algorithm (no padded sha1). */
	for (unsigned int bank = 0; bank < CANISTER_IMA_BANKS && r == 0; bank++)
		r = hash_two(ctx, bank, data, len, NULL, 0, digests.bank[bank]);
	EVP_MD_CTX_free(ctx);
	if (r == 0)
		*ret_digests = digests;
	return r;
}

void canister_ima_pcrs_reset(struct canister_ima_pcrs *pcrs)
{
	memset(pcrs, 0, sizeof(*pcrs));
}

int canister_ima_pcrs_extend(struct canister_ima_pcrs *pcrs, unsigned int pcr,
			     const struct canister_ima_digests *digests)
{
	uint8_t next[CANISTER_IMA_BANKS][CANISTER_IMA_BANK_DIGEST_MAX];
	uint8_t violation[CANISTER_IMA_BANK_DIGEST_MAX];
	EVP_MD_CTX *ctx;
	int r = 0;

	if (pcr >= CANISTER_IMA_PCRS)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	/*
	 * A violation is listed with a zero template digest, but IMA extends
	 * 0xff of each bank's size (ima_init_digests()), so that a verifier
	 * replaying the list cannot pass it off as an ordinary entry.
	 */
	memset(violation, 0xff, sizeof(violation));
	for (unsigned int bank = 0; bank < CANISTER_IMA_BANKS && r == 0; bank++)
		r = hash_two(ctx, bank, pcrs->value[bank][pcr], banks[bank].size,
			     digests ? digests->bank[bank] : violation, banks[bank].size,
			     next[bank]);
	EVP_MD_CTX_free(ctx);
	if (r < 0)
		return r;
	for (unsigned int bank = 0; bank < CANISTER_IMA_BANKS; bank++)
		memcpy(pcrs->value[bank][pcr], next[bank], banks[bank].size);
	return 0;
}

void canister_ima_pcrs_write(const struct canister_ima_pcrs *pcrs, enum canister_ima_bank bank,
			     FILE *out)
{
	/* evmctl 1.4 matches "PCR-%2.2d" in order and reads the hex after "PCR-NN: ". */
	for (unsigned int i = 0; i < CANISTER_IMA_PCRS; i++) {
		fprintf(out, "PCR-%02u: ", i);
		canister_ima_hex(pcrs->value[bank][i], banks[bank].size, out);
		fputc('\n', out);
	}
}
