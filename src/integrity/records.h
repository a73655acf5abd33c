/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the integrity capability's records (CONTAINER_INTEGRITY), handed to the main loop. */
#ifndef CANISTERD_INTEGRITY_RECORDS_H
#define CANISTERD_INTEGRITY_RECORDS_H

#include "core/canisterd.h"

#include <stdint.h>
#include <sys/types.h>

/*
 * Judges run on the gate's workers, but canister's audit log, its
 * subscribers and the sinks belong to the main loop: a record is queued
 * (core/loop_queue.h: bounded; a record that finds the queue full is counted
 * and logged, never silently lost) and written by the loop.
 */
int integrity_records_open(struct canisterd *d, char *why, size_t why_len);
void integrity_records_close(struct canisterd *d);

/*
 * integrity_record_audit() - IMA-audit of @path (digest @hash, "sha256:HEX")
 * opened by @pid, for the container @chain[0] whose policy said audit, in
 * @chain[1..] nested.  Any thread.
 */
void integrity_record_audit(const uint64_t *chain, unsigned int depth, pid_t pid, const char *path,
			    const char *hash);

/*
 * integrity_record_violation() - a violation entry for @path went into the
 * list of @chain[0] (in @chain[1..] nested) at @pid's open: IMA's
 * INTEGRITY_PCR op=invalid_pcr with @cause ("open_writers", "ToMToU"; a
 * string literal, kept by reference).  Any thread.
 */
void integrity_record_violation(const uint64_t *chain, unsigned int depth, pid_t pid,
				const char *path, const char *cause);

/*
 * integrity_record_appraisal() - appraisal refused @path, executed by @pid,
 * for the container @chain[0] whose appraise rule asked (in @chain[1..]
 * nested), in @mode ("log": recorded only; "enforce": denied): IMA's
 * INTEGRITY_DATA with @op "appraise_data" and its @cause word, or
 * "collect_data" cause "failed" for a file that did not read; @reason is
 * canister's own line.  @op, @cause and @mode are string literals, kept by
 * reference.  res=0.  Any thread.
 */
void integrity_record_appraisal(const uint64_t *chain, unsigned int depth, pid_t pid,
				const char *path, const char *op, const char *cause,
				const char *reason, const char *mode);

/* integrity_record_refused() - @contid's list at @path was refused on reload: @reason. */
void integrity_record_refused(uint64_t contid, const char *path, const char *reason);

/* Records that found the queue full, or no memory. */
uint64_t integrity_records_lost(void);

/*
 * Violation and appraisal records (the backstop's too) not written because
 * their container passed LIMITED_PER_SECOND (records.c): counted, so that a
 * flood is seen in `canister status` though its records are not written.
 */
uint64_t integrity_records_suppressed(void);

#endif
