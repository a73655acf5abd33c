/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: SHA-256 over one or two byte strings, the model's digest; SHA-1 for
 * the sha1 bank of the TPM's PCR 11 alone.
 */
#ifndef CANISTER_MODEL_DIGEST_H
#define CANISTER_MODEL_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define CANISTER_MODEL_DIGEST_SIZE 32
#define CANISTER_MODEL_SHA1_SIZE 20

/*
 * model_sha256() - SHA-256 of @first (@first_len bytes) followed by @second
 * (@second_len bytes; NULL when there is no second part) into @ret.
 * Returns 0, or -ENOMEM when libcrypto could not make a context or failed.
 */
int model_sha256(const void *first, size_t first_len, const void *second, size_t second_len,
		 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * model_sha1() - the same with SHA-1: a step of the measurement for the
 * sha1 bank of the container's TPM (docs/model.md, "In the container's
 * TPM"), hashed as IMA hashes its template for each bank.  Nothing of the
 * model itself uses it.
 */
int model_sha1(const void *first, size_t first_len, const void *second, size_t second_len,
	       uint8_t ret[CANISTER_MODEL_SHA1_SIZE]);

/*
 * model_extend() - @value = SHA-256(@value || SHA-256(@base || @point)): one
 * step of TSEM's linear extension (security/tsem/model.c,
 * update_events_measurement() and get_host_measurement()), used for both the
 * measurement and the state value.  Returns 0 or -ENOMEM.
 */
int model_extend(uint8_t value[CANISTER_MODEL_DIGEST_SIZE],
		 const uint8_t base[CANISTER_MODEL_DIGEST_SIZE],
		 const uint8_t point[CANISTER_MODEL_DIGEST_SIZE]);

#endif
