/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: one container's swtpm through the TSS's ESAPI: extend PCR 10 and 11, quote them. */
#ifndef CANISTERD_INTEGRITY_TPM_H
#define CANISTERD_INTEGRITY_TPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tpm;

/* A quote's parts, as tpm2_quote writes them and tpm2_checkquote reads them. */
#define TPM_QUOTE_MSG_MAX 1024
#define TPM_QUOTE_SIG_MAX 512
#define TPM_AK_PEM_MAX 1024
#define TPM_NONCE_MAX 64

/*
 * The PCR a container's behaviour model is extended into (both banks, as IMA
 * extends PCR 10: the sha1 bank with SHA-1 of the bytes whose SHA-256 the
 * sha256 bank takes, docs/model.md).  11, as TSEM extends its root model into
 * PCR 11 (security/tsem/trust.c, TSEM_TRUST_ROOT): 8 to 15 are the
 * operating system's, 10 is IMA's, and nothing else of a container's swtpm
 * is extended.
 */
#define TPM_MODEL_PCR 11

struct tpm_quote {
	uint8_t msg[TPM_QUOTE_MSG_MAX]; /* TPMS_ATTEST, marshalled (TPM2B_ATTEST's data) */
	size_t msg_len;
	uint8_t sig[TPM_QUOTE_SIG_MAX]; /* TPMT_SIGNATURE, marshalled */
	size_t sig_len;
	char ak_pem[TPM_AK_PEM_MAX]; /* the AK's public key, PEM SubjectPublicKeyInfo */
	uint8_t pcr_sha1[20];	     /* PCR 10 as PCR_Read gave it just before the quote */
	uint8_t pcr_sha256[32];
	uint8_t model_sha1[20];	  /* PCR 11 (TPM_MODEL_PCR), sha1, read with PCR 10 */
	uint8_t model_sha256[32]; /* and sha256 */
	uint32_t update_counter;  /* the TPM's pcrUpdateCounter at that read */
	/*
	 * pcrUpdateCounter when canisterd connected, before its first extend.
	 * libtpms counts each bank an extend changes: one TPM2_PCR_Extend of
	 * PCR 10 or PCR 11 in two banks adds 2.
	 */
	uint32_t counter_at_start;
};

/*
 * tpm_available() - whether this canisterd can talk to a TPM at all (the
 * static build links no TSS); tpm_unavailable_reason() says why not.
 */
bool tpm_available(void);
const char *tpm_unavailable_reason(void);

/*
 * tpm_connect() - an ESAPI context on the swtpm serving @socket_path (its
 * control channel at @socket_path.ctrl), and its attestation key: an ECC
 * P-256 restricted signing primary key (ECDSA, sha256) in the endorsement
 * hierarchy.  A primary key is derived from the hierarchy's seed and its
 * template, so the same swtpm state gives the same AK at every start; its
 * public part goes to @ak_pem_path when that is not NULL.  Returns 0, or
 * -EIO (the TSS or the TPM refused; @why says which call and its code),
 * -ENOMEM.
 */
int tpm_connect(const char *socket_path, const char *ak_pem_path, struct tpm **ret_tpm, char *why,
		size_t why_len);
void tpm_disconnect(struct tpm *tpm);

/*
 * tpm_extend() - PCR 10 extended in the sha1 bank with @sha1 (20 bytes) and
 * in the sha256 bank with @sha256 (32 bytes), one TPM2_PCR_Extend, as IMA
 * extends a TPM.  Returns 0 or -EIO with @why.
 */
int tpm_extend(struct tpm *tpm, const uint8_t *sha1, const uint8_t *sha256, char *why,
	       size_t why_len);

/*
 * tpm_extend_model() - PCR 11 (TPM_MODEL_PCR) extended in the sha1 bank
 * with @sha1 (20 bytes) and in the sha256 bank with @sha256 (32 bytes), one
 * TPM2_PCR_Extend.  Returns 0 or -EIO with @why.
 */
int tpm_extend_model(struct tpm *tpm, const uint8_t *sha1, const uint8_t *sha256, char *why,
		     size_t why_len);

/*
 * tpm_quote() - PCR 10 and 11 of the sha1 and sha256 banks read, then
 * quoted (that selection) with the AK over
 * @nonce (1..TPM_NONCE_MAX bytes, TPM2_Quote's qualifyingData).  Returns 0,
 * -EINVAL for a nonce out of range, -EIO with @why.
 */
int tpm_quote(struct tpm *tpm, const uint8_t *nonce, size_t nonce_len, struct tpm_quote *ret,
	      char *why, size_t why_len);

#endif
