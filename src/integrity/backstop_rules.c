// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the appraisal backstop's pure decisions: what a container enforces, what a verdict
 * holds. */
#include "integrity/backstop_rules.h"

#include <string.h>
#include <sys/sysmacros.h>

uint32_t backstop_policy_bits(const struct canister_ima_policy *policy)
{
	uint32_t bits = 0;

	for (size_t i = 0; policy && i < policy->count; i++) {
		const struct canister_ima_rule *rule = &policy->rules[i];

		if (!(rule->action & CANISTER_IMA_APPRAISE))
			continue;
		if (!(rule->conds & CANISTER_IMA_COND_FUNC))
			bits |= CANISTER_BACKSTOP_EXEC | CANISTER_BACKSTOP_MMAP;
		else if (rule->func == CANISTER_IMA_BPRM_CHECK)
			bits |= CANISTER_BACKSTOP_EXEC;
		else if (rule->func == CANISTER_IMA_MMAP_CHECK)
			bits |= CANISTER_BACKSTOP_MMAP;
	}
	return bits;
}

uint32_t backstop_container_bits(enum canister_appraise_mode own_mode, uint32_t policy_bits)
{
	switch (own_mode) {
	case CANISTER_APPRAISE_ENFORCE:
		return policy_bits;
	case CANISTER_APPRAISE_LOG:
		return policy_bits << CANISTER_BACKSTOP_LOG_SHIFT;
	default:
		return 0;
	}
}

uint32_t backstop_judged_hooks(uint32_t value)
{
	return (value | value >> CANISTER_BACKSTOP_LOG_SHIFT) &
	       (CANISTER_BACKSTOP_EXEC | CANISTER_BACKSTOP_MMAP);
}

uint64_t backstop_kernel_dev(dev_t dev)
{
	return ((uint64_t)major(dev) << 20) | minor(dev);
}

void backstop_verdict_of(uint64_t contid, const struct stat *st, uint32_t allowed,
			 struct canister_backstop_key *ret_key,
			 struct canister_backstop_verdict *ret_verdict)
{
	/* Zeroed whole: the key's bytes are compared, padding included. */
	memset(ret_key, 0, sizeof(*ret_key));
	memset(ret_verdict, 0, sizeof(*ret_verdict));
	ret_key->contid = contid;
	ret_key->dev = backstop_kernel_dev(st->st_dev);
	ret_key->ino = st->st_ino;
	ret_verdict->ctime_sec = st->st_ctim.tv_sec;
	ret_verdict->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
	ret_verdict->size = st->st_size;
	ret_verdict->allowed = allowed;
}

bool backstop_same_version(const struct canister_backstop_verdict *a,
			   const struct canister_backstop_verdict *b)
{
	return a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec && a->size == b->size;
}

const char *backstop_hook_name(unsigned int hook)
{
	switch (hook) {
	case CANISTER_BACKSTOP_HOOK_BPRM:
		return "backstop_bprm_check";
	case CANISTER_BACKSTOP_HOOK_MMAP:
		return "backstop_mmap_file";
	case CANISTER_BACKSTOP_HOOK_MPROTECT:
		return "backstop_file_mprotect";
	}
	return "?";
}

const char *backstop_cause_name(unsigned int cause)
{
	switch (cause) {
	case CANISTER_BACKSTOP_NOT_APPRAISED:
		return "not-appraised";
	case CANISTER_BACKSTOP_CHANGED:
		return "changed-since-appraised";
	case CANISTER_BACKSTOP_NOT_ALLOWED:
		return "not-allowed";
	}
	return "?";
}
