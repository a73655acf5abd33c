// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the gate's appraisal answer from each level's verdict, and IMA's cause words (pure).
 */
#include "integrity/appraise_verdict.h"

#include <string.h>

/* The packed value's first byte: a slot of the table that is a verdict. */
#define CACHED_MAGIC 0xa7

bool appraise_level_asked(const struct canister_ima_decision *decision,
			  enum canister_appraise_mode mode)
{
	return (decision->actions & CANISTER_IMA_APPRAISE) &&
	       (mode == CANISTER_APPRAISE_LOG || mode == CANISTER_APPRAISE_ENFORCE);
}

bool appraise_answer(const struct appraise_level *levels, unsigned int depth, bool fail_closed)
{
	for (unsigned int i = 0; i < depth; i++) {
		if (levels[i].mode != CANISTER_APPRAISE_ENFORCE)
			continue;
		if (levels[i].outcome == APPRAISE_FAILED)
			return false;
		if (levels[i].outcome == APPRAISE_UNREADABLE && fail_closed)
			return false;
	}
	return true;
}

const char *appraise_cause(enum canister_ima_verdict_reason reason, bool signature_required)
{
	switch (reason) {
	case CANISTER_IMA_PASS_SIGNED:
	case CANISTER_IMA_PASS_HASH:
		return NULL;
	case CANISTER_IMA_FAIL_NO_XATTR:
		/* ima_appraise_measurement(): no value at all, named by what the rule wanted. */
		return signature_required ? "IMA-signature-required" : "missing-hash";
	case CANISTER_IMA_FAIL_SIGNATURE_REQUIRED:
		return "IMA-signature-required";
	case CANISTER_IMA_FAIL_HASH_MISMATCH:
		return "invalid-hash";
	case CANISTER_IMA_FAIL_UNKNOWN_KEY:
	case CANISTER_IMA_FAIL_BAD_SIGNATURE:
		return "invalid-signature";
	case CANISTER_IMA_FAIL_INVALID_XATTR:
	case CANISTER_IMA_FAIL_UNSUPPORTED:
		break;
	}
	return "unknown-ima-data";
}

bool appraise_new_file(enum canister_ima_verdict_reason reason, uint64_t size, bool opener_writes)
{
	return reason == CANISTER_IMA_FAIL_NO_XATTR && size == 0 && opener_writes;
}

bool appraise_signed_immutable(enum canister_ima_verdict_reason reason, bool opener_writes)
{
	return reason == CANISTER_IMA_PASS_SIGNED && opener_writes;
}

void appraise_cached_pack(const struct appraise_cached *verdict, uint8_t value[32])
{
	memset(value, 0, 32);
	value[0] = CACHED_MAGIC;
	value[1] = verdict->signature_required;
	value[2] = verdict->pass;
	value[3] = (uint8_t)verdict->reason;
	memcpy(value + 8, &verdict->generation, sizeof(verdict->generation));
}

bool appraise_cached_unpack(const uint8_t value[32], uint64_t generation, bool signature_required,
			    struct appraise_cached *ret_verdict)
{
	struct appraise_cached v;

	if (value[0] != CACHED_MAGIC || value[1] > 1 || value[2] > 1 ||
	    value[3] > CANISTER_IMA_FAIL_BAD_SIGNATURE)
		return false;
	v.signature_required = value[1];
	v.pass = value[2];
	v.reason = (enum canister_ima_verdict_reason)value[3];
	memcpy(&v.generation, value + 8, sizeof(v.generation));
	if (v.generation != generation || v.signature_required != signature_required)
		return false;
	*ret_verdict = v;
	return true;
}
