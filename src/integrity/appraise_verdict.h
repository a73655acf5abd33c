/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the gate's appraisal answer from each level's verdict, and IMA's cause words (pure).
 */
#ifndef CANISTERD_INTEGRITY_APPRAISE_VERDICT_H
#define CANISTERD_INTEGRITY_APPRAISE_VERDICT_H

#include "integrity/ima_policy.h"
#include "integrity/ima_verify.h"
#include "lib/protocol.h"

#include <stdbool.h>
#include <stdint.h>

/* What one level of a container's chain made of one exec. */
enum appraise_outcome {
	APPRAISE_NOT_ASKED, /* its policy does not appraise the file, or its mode is off */
	APPRAISE_PASSED,
	APPRAISE_FAILED,
	APPRAISE_UNREADABLE, /* no verdict: the file did not read (the fail policy decides) */
};

struct appraise_level {
	enum canister_appraise_mode mode; /* the level's own */
	enum appraise_outcome outcome;
};

/*
 * appraise_level_asked() - whether a level whose policy decided @decision
 * and whose own mode is @mode appraises the file: an appraise rule matched
 * (no dont_appraise before it) and the mode is log or enforce.
 */
bool appraise_level_asked(const struct canister_ima_decision *decision,
			  enum canister_appraise_mode mode);

/*
 * appraise_answer() - whether the exec may go on: false when a level in
 * enforce failed, or could not read the file while @fail_closed.  A level
 * in log never denies: its failures are recorded only.
 */
bool appraise_answer(const struct appraise_level *levels, unsigned int depth, bool fail_closed);

/*
 * appraise_cause() - the cause word IMA's integrity_audit_msg() gives
 * (op=appraise_data) for a failed verdict: "missing-hash" (no security.ima),
 * "IMA-signature-required" (no security.ima or a hash value where the rule
 * says appraise_type=imasig), "invalid-hash", "invalid-signature" (an
 * unknown key too: the kernel finds no key and says so), "unknown-ima-data"
 * (a value that does not parse or is of a kind not taken).  NULL for a pass.
 */
const char *appraise_cause(enum canister_ima_verdict_reason reason, bool signature_required);

/*
 * The cause word of a level's refusal of a file another process holds open
 * for writing (op=appraise_data): IMA's own word for such a file (its
 * open_writers violation); IMA does not refuse one, canister in enforce does,
 * since the writer could change the file between the verdict and its use.
 */
#define APPRAISE_CAUSE_OPEN_WRITERS "open_writers"

/*
 * The cause word of appraise_signed_immutable()'s refusal.  IMA writes no
 * record for it (the open fails with EACCES and nothing is audited);
 * canister records it under a word of its own.
 */
#define APPRAISE_CAUSE_SIGNED_IMMUTABLE "signed-immutable"

/*
 * appraise_new_file() - IMA's IMA_NEW_FILE: whether a verdict of @reason on
 * a file of @size bytes passes anyway because the open that is judged makes
 * it new.  IMA passes a file without security.ima that this open created
 * (FMODE_CREATED; under appraise_type=imasig only while it is empty); the
 * gate cannot see that the open creates the file, so it passes a file
 * without a value only when it is empty and the opener's own open asks for
 * write access (@opener_writes, open_writers.h): what can be read through it
 * is nothing.
 */
bool appraise_new_file(enum canister_ima_verdict_reason reason, uint64_t size, bool opener_writes);

/*
 * appraise_signed_immutable() - IMA's rule that a signed file is not opened
 * for writing (process_measurement(): an open with MAY_WRITE of a file whose
 * security.ima is a signature, not new, is refused, EACCES, whatever the
 * verdict): whether a verdict of @reason, passed, is refused because the
 * opener's own open asks for write access (@opener_writes).  A failed
 * verdict is refused anyway; a hash value may be written (IMA then writes
 * the new hash at the last close; canister does not, see docs).
 */
bool appraise_signed_immutable(enum canister_ima_verdict_reason reason, bool opener_writes);

/*
 * A level's verdict on one file version, as the judge caches it beside the
 * file's key: whom it was made for (the snapshot's generation, which is
 * unique to one container's keys and mode at one moment, and whether the
 * rule required a signature), and what it was.  Packed into the 32 bytes a
 * struct integrity_file_digests slot holds.
 */
struct appraise_cached {
	uint64_t generation;
	bool signature_required;
	bool pass;
	enum canister_ima_verdict_reason reason;
};

void appraise_cached_pack(const struct appraise_cached *verdict, uint8_t value[32]);

/*
 * appraise_cached_unpack() - true with the verdict in @value when it was
 * made under @generation for the same @signature_required; false (stale: a
 * key or the mode changed since, or another rule) otherwise, or for a value
 * that is no verdict.
 */
bool appraise_cached_unpack(const uint8_t value[32], uint64_t generation, bool signature_required,
			    struct appraise_cached *ret_verdict);

#endif
