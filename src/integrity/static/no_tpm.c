// SPDX-License-Identifier: GPL-2.0-only
/* canisterd (static, VM): no TSS archive exists to link, so integrity_tpm = swtpm says so. */
#include "integrity/tpm.h"

#include <errno.h>
#include <stdio.h>

bool tpm_available(void)
{
	return false;
}

const char *tpm_unavailable_reason(void)
{
	return "this canisterd is linked statically, without the TSS: it gives no container a TPM";
}

int tpm_connect(const char *socket_path, const char *ak_pem_path, struct tpm **ret_tpm, char *why,
		size_t why_len)
{
	(void)socket_path;
	(void)ak_pem_path;
	(void)ret_tpm;
	snprintf(why, why_len, "%s", tpm_unavailable_reason());
	return -EOPNOTSUPP;
}

void tpm_disconnect(struct tpm *tpm)
{
	(void)tpm;
}

int tpm_extend(struct tpm *tpm, const uint8_t *sha1, const uint8_t *sha256, char *why,
	       size_t why_len)
{
	(void)tpm;
	(void)sha1;
	(void)sha256;
	snprintf(why, why_len, "no TSS");
	return -EOPNOTSUPP;
}

int tpm_extend_model(struct tpm *tpm, const uint8_t *sha1, const uint8_t *sha256, char *why,
		     size_t why_len)
{
	(void)tpm;
	(void)sha1;
	(void)sha256;
	snprintf(why, why_len, "no TSS");
	return -EOPNOTSUPP;
}

int tpm_quote(struct tpm *tpm, const uint8_t *nonce, size_t nonce_len, struct tpm_quote *ret,
	      char *why, size_t why_len)
{
	(void)tpm;
	(void)nonce;
	(void)nonce_len;
	(void)ret;
	snprintf(why, why_len, "no TSS");
	return -EOPNOTSUPP;
}
