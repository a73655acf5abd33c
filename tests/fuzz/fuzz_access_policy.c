// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: an access policy parsed, printed, parsed again, decided and
 * intersected, with its invariants. */
#include "access/policy.h"

#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "fuzz.policy"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The policy's text; NULL when out of memory.  free() it. */
static char *printed(const struct canister_access_policy *policy)
{
	size_t len = canister_access_policy_print(policy, NULL, 0);
	char *text = malloc(len + 1);

	if (!text)
		return NULL;
	if (canister_access_policy_print(policy, text, len + 1) != len || strlen(text) != len)
		broken("print length", "");
	return text;
}

/* The paths a policy decides differently: each rule's path, and one beneath and beside it. */
static void check_same_decisions(const struct canister_access_policy *a,
				 const struct canister_access_policy *b,
				 const struct canister_access_policy *paths, const char *what)
{
	char path[CANISTER_ACCESS_PATH_MAX + 8];

	for (size_t i = 0; i < paths->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &paths->fs[i];
		const char *suffixes[] = { "", "/x", "x" };

		for (size_t s = 0; s < 3; s++) {
			int len = snprintf(path, sizeof(path), "%s%s",
					   rule->path_len == 1 && s == 1 ? "" : rule->path,
					   suffixes[s]);

			for (uint32_t right = 1; right <= CANISTER_ACCESS_FS_ALL; right <<= 1)
				if (canister_access_fs_allows(a, right, path, (size_t)len, NULL) !=
				    canister_access_fs_allows(b, right, path, (size_t)len, NULL))
					broken(what, path);
		}
	}
	for (size_t i = 0; i < paths->net_count; i++) {
		const struct canister_access_net_rule *rule = &paths->net[i];
		uint32_t ports[] = { rule->first, rule->last, rule->first - 1u, rule->last + 1u };

		for (size_t p = 0; p < 4; p++)
			for (uint32_t right = 1; right <= CANISTER_ACCESS_NET_ALL; right <<= 1)
				if (ports[p] <= 65535 &&
				    canister_access_net_allows(a, right, (uint16_t)ports[p]) !=
					    canister_access_net_allows(b, right,
								       (uint16_t)ports[p]))
					broken(what, "a port");
	}
}

static void check_policy(const struct canister_access_policy *policy)
{
	if (policy->fs_count + policy->net_count > CANISTER_ACCESS_RULES_MAX)
		broken("more rules than a policy holds", "");
	if (policy->fs_handled & ~CANISTER_ACCESS_FS_ALL ||
	    policy->net_handled & ~CANISTER_ACCESS_NET_ALL ||
	    policy->scopes & ~CANISTER_ACCESS_SCOPE_ALL ||
	    policy->cap_bound & ~CANISTER_ACCESS_CAPS_ALL)
		broken("a bit outside its set", "");
	for (size_t i = 0; i < policy->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &policy->fs[i];

		if (!rule->rights || (rule->rights & ~policy->fs_handled))
			broken("a file rule on a right not handled", rule->path);
		if (rule->path[0] != '/' || strlen(rule->path) != rule->path_len ||
		    strstr(rule->path, "//") ||
		    (rule->path_len > 1 && rule->path[rule->path_len - 1] == '/'))
			broken("a path not normalised", rule->path);
		if (i && strcmp(policy->fs[i - 1].path, rule->path) > 0)
			broken("file rules not in path order", rule->path);
	}
	for (size_t i = 0; i < policy->net_count; i++) {
		const struct canister_access_net_rule *rule = &policy->net[i];

		if (!rule->rights || (rule->rights & ~policy->net_handled) ||
		    rule->first > rule->last)
			broken("a port rule out of shape", "");
		if (i && policy->net[i - 1].last >= rule->first)
			broken("port rules overlap or are out of order", "");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_access_policy *untouched = (void *)0x5a5a, *policy = untouched;
	struct canister_access_policy *again = NULL, *effective = NULL;
	unsigned long lines = input_lines(data, size);
	char why[1024], *text, *again_text;
	int r;

	memset(why, 'x', sizeof(why));
	r = canister_access_policy_parse((const char *)data, size, SOURCE, &policy, why,
					 sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -E2BIG && r != -ENOMEM)
			broken("error other than -EINVAL, -E2BIG or -ENOMEM", why);
		check_line_error(SOURCE, why, sizeof(why), lines);
		if (policy != untouched)
			broken("policy written on error", why);
		return 0;
	}
	if (r != 0 || !policy)
		broken("no policy on success", "");
	check_policy(policy);
	/* The printed text is the same policy, and prints the same. */
	text = printed(policy);
	if (text) {
		if (canister_access_policy_parse(text, strlen(text), SOURCE, &again, why,
						 sizeof(why)) != 0)
			broken("printed policy refused", why);
		again_text = printed(again);
		if (again_text && strcmp(text, again_text) != 0)
			broken("printing is not stable", text);
		check_same_decisions(policy, again, policy, "the printed policy decides otherwise");
		free(again_text);
		free(text);
	}
	/* A policy intersected with itself, or alone, is itself. */
	if (again) {
		const struct canister_access_policy *chain[] = { policy, again };

		r = canister_access_effective(chain, 2, &effective);
		if (r == 0) {
			check_policy(effective);
			check_same_decisions(policy, effective, policy,
					     "a policy intersected with itself decides otherwise");
			check_same_decisions(policy, effective, effective,
					     "a policy intersected with itself decides otherwise");
			canister_access_policy_free(effective);
		} else if (r != -ENOMEM && r != -E2BIG) {
			broken("effective policy failed", "");
		}
		canister_access_policy_free(again);
	}
	canister_access_policy_free(policy);
	return 0;
}
