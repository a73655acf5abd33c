// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: decides what a container's IMA policy asks for one file event, as ima_match_policy().
 */
#include "integrity/ima_policy.h"

#include <string.h>

/* Every action kind a walk decides; a dont_ bit is its kind's do bit shifted left by one. */
#define ALL_KINDS                                                                   \
	(CANISTER_IMA_MEASURE | CANISTER_IMA_DONT_MEASURE | CANISTER_IMA_APPRAISE | \
	 CANISTER_IMA_DONT_APPRAISE | CANISTER_IMA_AUDIT | CANISTER_IMA_DONT_AUDIT)
#define DO_ACTIONS (CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE | CANISTER_IMA_AUDIT)

static bool id_matches(enum canister_ima_id_op op, uint32_t id, uint32_t rule_id)
{
	switch (op) {
	case CANISTER_IMA_ID_GT:
		return id > rule_id;
	case CANISTER_IMA_ID_LT:
		return id < rule_id;
	case CANISTER_IMA_ID_EQ:
		break;
	}
	return id == rule_id;
}

/* ima_match_rules() for the conditions canister has; every condition the rule holds must hold. */
static bool rule_matches(const struct canister_ima_rule *rule,
			 const struct canister_ima_access *event)
{
	if ((rule->conds & CANISTER_IMA_COND_FUNC) && rule->func != event->func)
		return false;
	if ((rule->conds & CANISTER_IMA_COND_MASK) && rule->mask != event->mask)
		return false;
	if ((rule->conds & CANISTER_IMA_COND_INMASK) && !(rule->mask & event->mask))
		return false;
	if ((rule->conds & CANISTER_IMA_COND_FSMAGIC) && rule->fsmagic != event->fsmagic)
		return false;
	/*
	 * IMA compares sb->s_uuid, zeros for a filesystem without one; canister
	 * cannot always tell zeros from unknown, and an unknown UUID is no match.
	 */
	if ((rule->conds & CANISTER_IMA_COND_FSUUID) &&
	    (!event->fsuuid_known ||
	     memcmp(rule->fsuuid, event->fsuuid, sizeof(rule->fsuuid)) != 0))
		return false;
	if ((rule->conds & CANISTER_IMA_COND_UID) &&
	    !id_matches(rule->uid_op, event->uid, rule->uid))
		return false;
	if (rule->conds & CANISTER_IMA_COND_EUID) {
		/*
		 * A process that may set its uid at will could be any of its ids
		 * in a moment; IMA then takes any of real, effective and saved.
		 */
		bool any = id_matches(rule->uid_op, event->euid, rule->uid);

		if (event->cap_setuid)
			any = any || id_matches(rule->uid_op, event->suid, rule->uid) ||
			      id_matches(rule->uid_op, event->uid, rule->uid);
		if (!any)
			return false;
	}
	if ((rule->conds & CANISTER_IMA_COND_FOWNER) &&
	    !id_matches(rule->fowner_op, event->fowner, rule->fowner))
		return false;
	return true;
}

void canister_ima_policy_match(const struct canister_ima_policy *policy,
			       const struct canister_ima_access *event,
			       struct canister_ima_decision *ret_decision)
{
	struct canister_ima_decision d = {
		.measure_rule = -1,
		.appraise_rule = -1,
		.audit_rule = -1,
	};
	uint32_t undecided = ALL_KINDS;

	for (size_t i = 0; policy && i < policy->count && undecided; i++) {
		const struct canister_ima_rule *rule = &policy->rules[i];
		uint32_t action = rule->action;
		/* The do bit of the rule's kind, whether the rule says do or dont. */
		uint32_t kind = action & DO_ACTIONS ? action : action >> 1;

		if (!(action & undecided) || !rule_matches(rule, event))
			continue;
		/* The first matching rule of a kind decides it; later ones of that kind are
		 * skipped. */
		undecided &= ~(kind | kind << 1);
		d.actions |= action & DO_ACTIONS;
		if (kind == CANISTER_IMA_MEASURE) {
			d.measure_rule = (int)i;
			/* IMA keeps the last matching rule's template; only measure rules have one.
			 */
			if (rule->template != CANISTER_IMA_RULE_TEMPLATE_DEFAULT)
				d.template = rule->template;
		} else if (kind == CANISTER_IMA_APPRAISE) {
			d.appraise_rule = (int)i;
			d.digsig_required = rule->conds & CANISTER_IMA_COND_DIGSIG;
		} else {
			d.audit_rule = (int)i;
		}
	}
	*ret_decision = d;
}

uint32_t canister_ima_chain_match(const struct canister_ima_policy *const *chain, size_t depth,
				  const struct canister_ima_access *event,
				  struct canister_ima_decision *ret_decisions)
{
	uint32_t all = 0;

	for (size_t level = 0; level < depth; level++) {
		canister_ima_policy_match(chain[level], event, &ret_decisions[level]);
		all |= ret_decisions[level].actions;
	}
	return all;
}

bool canister_ima_policy_lists_func(const struct canister_ima_policy *policy,
				    enum canister_ima_func func)
{
	for (size_t i = 0; policy && i < policy->count; i++) {
		const struct canister_ima_rule *rule = &policy->rules[i];

		if (!(rule->action & (CANISTER_IMA_MEASURE | CANISTER_IMA_AUDIT)))
			continue;
		if (rule->func == func || !(rule->conds & CANISTER_IMA_COND_FUNC))
			return true;
	}
	return false;
}

bool canister_ima_policy_needs_file_check(const struct canister_ima_policy *policy)
{
	return canister_ima_policy_lists_func(policy, CANISTER_IMA_FILE_CHECK);
}

bool canister_ima_policy_appraises_file_check(const struct canister_ima_policy *policy)
{
	for (size_t i = 0; policy && i < policy->count; i++) {
		const struct canister_ima_rule *rule = &policy->rules[i];

		if (rule->action != CANISTER_IMA_APPRAISE)
			continue;
		if (rule->func == CANISTER_IMA_FILE_CHECK ||
		    !(rule->conds & CANISTER_IMA_COND_FUNC))
			return true;
	}
	return false;
}
