/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: each container's swtpm, extended with its list (PCR 10) and its behaviour model's
 * measurement (PCR 11) and quoted, from one helper thread.
 */
#ifndef CANISTERD_INTEGRITY_ATTEST_H
#define CANISTERD_INTEGRITY_ATTEST_H

#include "integrity/ima_pcr.h"
#include "integrity/tpm.h"
#include "lib/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * attest_open() - the helper thread that owns every container's swtpm and
 * ESAPI context (started with integrity, whatever integrity_tpm's default:
 * a container may choose a swtpm of its own).  Returns 0, or -errno with
 * @why: -EOPNOTSUPP when integrity_tpm = swtpm and this canisterd has no
 * TSS (tpm_available()), -EINVAL for a bad CANISTERD_TEST_QUOTE_DELAY_MS.
 */
int attest_open(const struct canister_config *config, char *why, size_t why_len);

/* attest_close() - every swtpm stopped and reaped, the thread joined. */
void attest_close(void);

/*
 * attest_extend() - queue the extension of @contid's PCR 10 with one list
 * entry's template digests (@digests NULL: a violation, 0xff in each bank).
 * The first for a container starts its swtpm.  Never waits on the TPM: the
 * judge calls it with measure's lock held, in list order, which is the order
 * the thread extends in.
 */
void attest_extend(uint64_t contid, const struct canister_ima_digests *digests);

/*
 * attest_extend_model() - queue the extension of @contid's PCR 11
 * (TPM_MODEL_PCR) with @sha256 in the sha256 bank and @sha1 (20 bytes) in
 * the sha1 bank: one step of its behaviour model's measurement
 * (integrity_model_measured()).  In order with the list's extends and
 * quotes; the first job for a container starts its swtpm.  @sha256 NULL: a
 * step the caller could not keep (no memory), counted as lost: no quote is
 * given from then on, as for a lost extend.
 */
void attest_extend_model(uint64_t contid, const uint8_t *sha256, const uint8_t *sha1);

/*
 * attest_choose() - @contid's TPM choice from now on (measure calls it, with
 * its lock held, before the container's first exec): its swtpm, if one was
 * started, is stopped; with @swtpm the next attest_extend() starts a new one
 * with PCR 10 cleared, and the caller queues the whole list again.  Queued
 * in order with the extends.
 */
void attest_choose(uint64_t contid, bool swtpm);

/*
 * attest_test_quote_delay_ms() - the test switch CANISTERD_TEST_QUOTE_DELAY_MS
 * (0: off): each quote waits that long on the thread before the TPM is asked.
 */
unsigned int attest_test_quote_delay_ms(void);

/* attest_tick() - now and then, a sweep: the swtpms of dropped containers are stopped. */
void attest_tick(void);

struct attest_quote {
	struct tpm_quote quote;
	uint64_t extends;	/* TPM2_PCR_Extend calls of PCR 10 on this swtpm since it started */
	uint64_t model_extends; /* and of PCR 11 (the model's) */
};

/*
 * attest_quote() - a quote of @contid's PCR 10 and 11 over @nonce, after every
 * extension queued before it, waited for up to @wait_ms.  A caller that
 * stops waiting leaves the wait record to the thread, which frees it when
 * the quote is done.  Returns 0, or -EOPNOTSUPP (the container's TPM is
 * none), -ENOENT (the container was dropped: its swtpm is gone), -EIO (its
 * swtpm failed, or an extension was lost: @why), -ETIMEDOUT, -EINVAL (nonce
 * size), -ENOMEM.
 */
int attest_quote(uint64_t contid, const uint8_t *nonce, size_t nonce_len, unsigned int wait_ms,
		 struct attest_quote *ret, char *why, size_t why_len);

#endif
