// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: one container's swtpm through the TSS's ESAPI: extend PCR 10 and 11, quote them. */
#include "integrity/tpm.h"

#include "lib/whole_file.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tcti_swtpm.h>
#include <unistd.h>

struct tpm {
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
	ESYS_TR ak;
	char ak_pem[TPM_AK_PEM_MAX];
	uint32_t counter_at_start; /* pcrUpdateCounter before canisterd's first extend */
};

/*
 * What a quote covers: PCR 10 in both banks IMA extends, and the model's PCR
 * 11 in both.  pcrSelect is a bitmap: PCR 10 is bit 2 of byte 1, PCR 11
 * bit 3.  PCR_Read gives the values bank by bank: sha1 10, 11, sha256 10, 11.
 */
static const TPML_PCR_SELECTION quoted_pcrs = {
	.count = 2,
	.pcrSelections = {
		{ .hash = TPM2_ALG_SHA1, .sizeofSelect = 3, .pcrSelect = { 0x00, 0x0c, 0x00 } },
		{ .hash = TPM2_ALG_SHA256, .sizeofSelect = 3, .pcrSelect = { 0x00, 0x0c, 0x00 } },
	},
};
_Static_assert(TPM_MODEL_PCR == 11, "quoted_pcrs selects PCR 11 as the model's");

static int pcr_read(struct tpm *tpm, struct tpm_quote *ret, char *why, size_t why_len);

bool tpm_available(void)
{
	return true;
}

const char *tpm_unavailable_reason(void)
{
	return "";
}

static int fail(char *why, size_t why_len, const char *call, TSS2_RC rc)
{
	snprintf(why, why_len, "%s: %s", call, Tss2_RC_Decode(rc));
	return -EIO;
}

static int tcti_open(const char *socket_path, TSS2_TCTI_CONTEXT **ret, char *why, size_t why_len)
{
	char conf[256];
	size_t size = 0;
	TSS2_TCTI_CONTEXT *tcti;
	TSS2_RC rc;

	if ((size_t)snprintf(conf, sizeof(conf), "path=%s", socket_path) >= sizeof(conf)) {
		snprintf(why, why_len, "%s: path too long", socket_path);
		return -ENAMETOOLONG;
	}
	rc = Tss2_Tcti_Swtpm_Init(NULL, &size, conf);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, why_len, "Tss2_Tcti_Swtpm_Init", rc);
	tcti = calloc(1, size);
	if (!tcti)
		return -ENOMEM;
	rc = Tss2_Tcti_Swtpm_Init(tcti, &size, conf);
	if (rc != TSS2_RC_SUCCESS) {
		free(tcti);
		return fail(why, why_len, "Tss2_Tcti_Swtpm_Init", rc);
	}
	*ret = tcti;
	return 0;
}

/* The AK's public part as a PEM SubjectPublicKeyInfo, which tpm2_checkquote -u reads. */
static int ak_pem(const TPMS_ECC_POINT *point, char *pem, size_t pem_len)
{
	uint8_t octets[1 + 2 * 32] = { 0x04 }; /* uncompressed: 04 || x || y */
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIO *bio = NULL;
	int r = -EIO;
	long n;
	char *text;

	if (point->x.size > 32 || point->y.size > 32)
		return -EINVAL;
	/* Coordinates are big-endian; a short one is padded on the left. */
	memcpy(octets + 1 + 32 - point->x.size, point->x.buffer, point->x.size);
	memcpy(octets + 1 + 64 - point->y.size, point->y.buffer, point->y.size);
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, octets, sizeof(octets)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	bio = BIO_new(BIO_s_mem());
	if (!bio || !PEM_write_bio_PUBKEY(bio, key))
		goto out;
	n = BIO_get_mem_data(bio, &text);
	if (n <= 0 || (size_t)n >= pem_len) {
		r = -ENOSPC;
		goto out;
	}
	memcpy(pem, text, (size_t)n);
	pem[n] = '\0';
	r = 0;
out:
	BIO_free(bio);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

static int write_whole(const char *path, const char *text)
{
	char tmp[4096], unused[256];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	return canister_write_whole_file(path, tmp, text, strlen(text), 0644, true, unused,
					 sizeof(unused));
}

/*
 * The AK as a primary key: nothing to store in the TPM or beside it, and the
 * same key from the same seed.  Restricted: it signs only what the TPM itself
 * made (quotes), never an outside digest that could pass for one.
 */
static int create_ak(struct tpm *tpm, const char *ak_pem_path, char *why, size_t why_len)
{
	const TPM2B_SENSITIVE_CREATE sensitive = { 0 };
	const TPM2B_PUBLIC template = {
		.publicArea = {
			.type = TPM2_ALG_ECC,
			.nameAlg = TPM2_ALG_SHA256,
			.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
					    TPMA_OBJECT_SENSITIVEDATAORIGIN |
					    TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_RESTRICTED |
					    TPMA_OBJECT_SIGN_ENCRYPT,
			.parameters.eccDetail = {
				.symmetric.algorithm = TPM2_ALG_NULL,
				.scheme = { .scheme = TPM2_ALG_ECDSA,
					    .details.ecdsa.hashAlg = TPM2_ALG_SHA256 },
				.curveID = TPM2_ECC_NIST_P256,
				.kdf.scheme = TPM2_ALG_NULL,
			},
		},
	};
	const TPM2B_DATA outside = { 0 };
	const TPML_PCR_SELECTION creation_pcrs = { 0 };
	TPM2B_PUBLIC *public = NULL;
	TPM2B_CREATION_DATA *creation = NULL;
	TPM2B_DIGEST *creation_hash = NULL;
	TPMT_TK_CREATION *ticket = NULL;
	TSS2_RC rc;
	int r;

	rc = Esys_CreatePrimary(tpm->esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				ESYS_TR_NONE, &sensitive, &template, &outside, &creation_pcrs,
				&tpm->ak, &public, &creation, &creation_hash, &ticket);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, why_len, "Esys_CreatePrimary (AK)", rc);
	r = ak_pem(&public->publicArea.unique.ecc, tpm->ak_pem, sizeof(tpm->ak_pem));
	if (r < 0)
		snprintf(why, why_len, "the AK's public key: %s", strerror(-r));
	if (r == 0 && ak_pem_path) {
		r = write_whole(ak_pem_path, tpm->ak_pem);
		if (r < 0)
			snprintf(why, why_len, "%s: %s", ak_pem_path, strerror(-r));
	}
	Esys_Free(public);
	Esys_Free(creation);
	Esys_Free(creation_hash);
	Esys_Free(ticket);
	return r;
}

int tpm_connect(const char *socket_path, const char *ak_pem_path, struct tpm **ret_tpm, char *why,
		size_t why_len)
{
	struct tpm *tpm = calloc(1, sizeof(*tpm));
	TSS2_RC rc;
	int r;

	if (!tpm)
		return -ENOMEM;
	tpm->ak = ESYS_TR_NONE;
	r = tcti_open(socket_path, &tpm->tcti, why, why_len);
	if (r < 0) {
		free(tpm);
		return r;
	}
	/* The swtpm runs with startup-clear: no TPM2_Startup here. */
	rc = Esys_Initialize(&tpm->esys, tpm->tcti, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		r = fail(why, why_len, "Esys_Initialize", rc);
		tpm_disconnect(tpm);
		return r;
	}
	r = create_ak(tpm, ak_pem_path, why, why_len);
	if (r == 0) {
		struct tpm_quote now;

		/* TPM2_Startup already moved the counter: extends are counted from here. */
		r = pcr_read(tpm, &now, why, why_len);
		tpm->counter_at_start = now.update_counter;
	}
	if (r < 0) {
		tpm_disconnect(tpm);
		return r;
	}
	*ret_tpm = tpm;
	return 0;
}

void tpm_disconnect(struct tpm *tpm)
{
	if (!tpm)
		return;
	if (tpm->esys && tpm->ak != ESYS_TR_NONE)
		Esys_FlushContext(tpm->esys, tpm->ak);
	if (tpm->esys)
		Esys_Finalize(&tpm->esys);
	if (tpm->tcti) {
		Tss2_Tcti_Finalize(tpm->tcti);
		free(tpm->tcti);
	}
	free(tpm);
}

int tpm_extend(struct tpm *tpm, const uint8_t *sha1, const uint8_t *sha256, char *why,
	       size_t why_len)
{
	TPML_DIGEST_VALUES digests = {
		.count = 2,
		.digests = { { .hashAlg = TPM2_ALG_SHA1 }, { .hashAlg = TPM2_ALG_SHA256 } },
	};
	TSS2_RC rc;

	memcpy(digests.digests[0].digest.sha1, sha1, TPM2_SHA1_DIGEST_SIZE);
	memcpy(digests.digests[1].digest.sha256, sha256, TPM2_SHA256_DIGEST_SIZE);
	rc = Esys_PCR_Extend(tpm->esys, ESYS_TR_PCR10, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			     &digests);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, why_len, "Esys_PCR_Extend", rc);
	return 0;
}

int tpm_extend_model(struct tpm *tpm, const uint8_t *sha1, const uint8_t *sha256, char *why,
		     size_t why_len)
{
	TPML_DIGEST_VALUES digests = {
		.count = 2,
		.digests = { { .hashAlg = TPM2_ALG_SHA1 }, { .hashAlg = TPM2_ALG_SHA256 } },
	};
	TSS2_RC rc;

	memcpy(digests.digests[0].digest.sha1, sha1, TPM2_SHA1_DIGEST_SIZE);
	memcpy(digests.digests[1].digest.sha256, sha256, TPM2_SHA256_DIGEST_SIZE);
	rc = Esys_PCR_Extend(tpm->esys, ESYS_TR_PCR0 + TPM_MODEL_PCR, ESYS_TR_PASSWORD,
			     ESYS_TR_NONE, ESYS_TR_NONE, &digests);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, why_len, "Esys_PCR_Extend (PCR 11)", rc);
	return 0;
}

static int pcr_read(struct tpm *tpm, struct tpm_quote *ret, char *why, size_t why_len)
{
	TPML_PCR_SELECTION *selected = NULL;
	TPML_DIGEST *values = NULL;
	UINT32 counter;
	TSS2_RC rc;
	int r = 0;

	rc = Esys_PCR_Read(tpm->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &quoted_pcrs,
			   &counter, &selected, &values);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, why_len, "Esys_PCR_Read", rc);
	if (values->count != 4 || values->digests[0].size != sizeof(ret->pcr_sha1) ||
	    values->digests[1].size != sizeof(ret->model_sha1) ||
	    values->digests[2].size != sizeof(ret->pcr_sha256) ||
	    values->digests[3].size != sizeof(ret->model_sha256)) {
		snprintf(why, why_len,
			 "Esys_PCR_Read: %u values, not PCR 10 and 11 of sha1 and sha256",
			 values->count);
		r = -EIO;
	} else {
		memcpy(ret->pcr_sha1, values->digests[0].buffer, sizeof(ret->pcr_sha1));
		memcpy(ret->model_sha1, values->digests[1].buffer, sizeof(ret->model_sha1));
		memcpy(ret->pcr_sha256, values->digests[2].buffer, sizeof(ret->pcr_sha256));
		memcpy(ret->model_sha256, values->digests[3].buffer, sizeof(ret->model_sha256));
		ret->update_counter = counter;
	}
	Esys_Free(selected);
	Esys_Free(values);
	return r;
}

int tpm_quote(struct tpm *tpm, const uint8_t *nonce, size_t nonce_len, struct tpm_quote *ret,
	      char *why, size_t why_len)
{
	const TPMT_SIG_SCHEME scheme = { .scheme = TPM2_ALG_NULL }; /* the AK's own: ECDSA sha256 */
	TPM2B_DATA qualifying = { .size = (UINT16)nonce_len };
	TPM2B_ATTEST *quoted = NULL;
	TPMT_SIGNATURE *signature = NULL;
	size_t offset = 0;
	TSS2_RC rc;
	int r;

	if (nonce_len < 1 || nonce_len > TPM_NONCE_MAX || nonce_len > sizeof(qualifying.buffer))
		return -EINVAL;
	memcpy(qualifying.buffer, nonce, nonce_len);
	r = pcr_read(tpm, ret, why, why_len);
	if (r < 0)
		return r;
	memcpy(ret->ak_pem, tpm->ak_pem, sizeof(ret->ak_pem));
	ret->counter_at_start = tpm->counter_at_start;
	rc = Esys_Quote(tpm->esys, tpm->ak, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			&qualifying, &scheme, &quoted_pcrs, &quoted, &signature);
	if (rc != TSS2_RC_SUCCESS)
		return fail(why, why_len, "Esys_Quote", rc);
	if (quoted->size > sizeof(ret->msg)) {
		snprintf(why, why_len, "Esys_Quote: a quote of %u bytes", quoted->size);
		r = -EIO;
	} else {
		memcpy(ret->msg, quoted->attestationData, quoted->size);
		ret->msg_len = quoted->size;
		rc = Tss2_MU_TPMT_SIGNATURE_Marshal(signature, ret->sig, sizeof(ret->sig), &offset);
		if (rc != TSS2_RC_SUCCESS)
			r = fail(why, why_len, "Tss2_MU_TPMT_SIGNATURE_Marshal", rc);
		ret->sig_len = offset;
	}
	Esys_Free(quoted);
	Esys_Free(signature);
	return r;
}
