// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: an IMA policy parsed, printed, parsed again and matched, with its
 * invariants. */
#include "integrity/ima_policy.h"

#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "fuzz.policy"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rule(const struct canister_ima_rule *rule)
{
	switch (rule->action) {
	case CANISTER_IMA_MEASURE:
	case CANISTER_IMA_DONT_MEASURE:
	case CANISTER_IMA_APPRAISE:
	case CANISTER_IMA_DONT_APPRAISE:
	case CANISTER_IMA_AUDIT:
	case CANISTER_IMA_DONT_AUDIT:
		break;
	default:
		broken("rule without a valid action", "");
	}
	if ((rule->conds & CANISTER_IMA_COND_UID) && (rule->conds & CANISTER_IMA_COND_EUID))
		broken("uid and euid in one rule", "");
	if ((rule->conds & CANISTER_IMA_COND_MASK) && (rule->conds & CANISTER_IMA_COND_INMASK))
		broken("mask twice", "");
	if (rule->template != CANISTER_IMA_RULE_TEMPLATE_DEFAULT &&
	    rule->action != CANISTER_IMA_MEASURE)
		broken("template on a rule that does not measure", "");
	if ((rule->conds & CANISTER_IMA_COND_DIGSIG) && rule->action != CANISTER_IMA_APPRAISE)
		broken("appraise_type on a rule that does not appraise", "");
	if ((rule->conds & (CANISTER_IMA_COND_MASK | CANISTER_IMA_COND_INMASK)) &&
	    (rule->mask == 0 || (rule->mask & (rule->mask - 1)) || rule->mask > 8))
		broken("mask not one MAY_ bit", "");
	if (((rule->conds & (CANISTER_IMA_COND_UID | CANISTER_IMA_COND_EUID)) &&
	     rule->uid == UINT32_MAX) ||
	    ((rule->conds & CANISTER_IMA_COND_FOWNER) && rule->fowner == UINT32_MAX))
		broken("the invalid id (uid_t)-1 accepted", "");
}

/* The printed text, parsed again, is the same policy, and prints the same. */
static void check_reads_back(const struct canister_ima_policy *policy)
{
	size_t len = canister_ima_policy_print(policy, NULL, 0), again_len;
	struct canister_ima_policy *again = NULL;
	char *text = malloc(len + 1), *again_text;
	char why[512];

	if (!text)
		return;
	if (canister_ima_policy_print(policy, text, len + 1) != len || strlen(text) != len)
		broken("print length", "");
	if (canister_ima_policy_parse(text, len, SOURCE, &again, why, sizeof(why)) != 0)
		broken("printed policy refused", why);
	if (again->count != policy->count)
		broken("printed policy has another rule count", text);
	for (size_t i = 0; i < policy->count; i++) {
		struct canister_ima_rule a = policy->rules[i], b = again->rules[i];

		if (b.line != i + 1)
			broken("printed policy not one rule a line", text);
		a.line = b.line = 0;
		if (memcmp(&a, &b, sizeof(a)) != 0)
			broken("printed rule reads back as another rule", text);
	}
	again_len = canister_ima_policy_print(again, NULL, 0);
	again_text = malloc(again_len + 1);
	if (again_text) {
		canister_ima_policy_print(again, again_text, again_len + 1);
		if (strcmp(text, again_text) != 0)
			broken("printing is not stable", text);
		free(again_text);
	}
	free(text);
	canister_ima_policy_free(again);
}

/* An event made of the input's first bytes, so the fuzzer steers the matcher too. */
static void check_match(const struct canister_ima_policy *policy, const uint8_t *data, size_t size)
{
	struct canister_ima_access event = { 0 };
	struct canister_ima_decision d, chain_d[2];
	const struct canister_ima_policy *chain[2] = { policy, NULL };
	uint32_t all;

	memcpy(&event.uid, data, size < 4 ? size : 4);
	event.func = size > 4 ? data[4] % 4 : CANISTER_IMA_BPRM_CHECK;
	event.mask = size > 5 ? data[5] & 0xf : CANISTER_IMA_MAY_EXEC;
	event.euid = size > 6 ? data[6] : 0;
	event.cap_setuid = size > 7 && (data[7] & 1);
	event.fowner = size > 8 ? data[8] : 0;
	event.fsmagic = size > 9 ? data[9] : 0x9fa0;
	canister_ima_policy_match(policy, &event, &d);
	if (d.actions &
	    ~(uint32_t)(CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE | CANISTER_IMA_AUDIT))
		broken("a dont_ action in the decision", "");
	if (d.measure_rule >= (int)policy->count || d.appraise_rule >= (int)policy->count ||
	    d.audit_rule >= (int)policy->count)
		broken("deciding rule out of range", "");
	if ((d.actions & CANISTER_IMA_MEASURE) &&
	    policy->rules[d.measure_rule].action != CANISTER_IMA_MEASURE)
		broken("measured by a rule that does not measure", "");
	if (!(d.actions & CANISTER_IMA_MEASURE) && d.template != CANISTER_IMA_RULE_TEMPLATE_DEFAULT)
		broken("a template without a measurement", "");
	all = canister_ima_chain_match(chain, 2, &event, chain_d);
	if (all != d.actions || memcmp(&chain_d[0], &d, sizeof(d)) != 0 || chain_d[1].actions)
		broken("the chain decides otherwise than its levels", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_ima_policy *untouched = (void *)0x5a5a, *policy = untouched;
	unsigned long lines = input_lines(data, size);
	unsigned int previous_line = 0;
	char why[1024];
	int r;

	memset(why, 'x', sizeof(why));
	r = canister_ima_policy_parse((const char *)data, size, SOURCE, &policy, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -E2BIG)
			broken("error other than -EINVAL or -E2BIG", why);
		check_line_error(SOURCE, why, sizeof(why), lines);
		if (policy != untouched)
			broken("policy written on error", why);
		return 0;
	}
	if (r != 0 || !policy)
		broken("no policy on success", "");
	if (policy->count > CANISTER_IMA_POLICY_RULES_MAX || policy->count > lines)
		broken("rule count", "");
	for (size_t i = 0; i < policy->count; i++) {
		if (policy->rules[i].line <= previous_line || policy->rules[i].line > lines)
			broken("rule lines not increasing within the input", "");
		previous_line = policy->rules[i].line;
		check_rule(&policy->rules[i]);
	}
	check_reads_back(policy);
	check_match(policy, data, size);
	canister_ima_policy_free(policy);
	return 0;
}
