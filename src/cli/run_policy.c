// SPDX-License-Identifier: GPL-2.0-only
/* canister run --policy: the access policy the workload starts under (capability bound, Landlock).
 */
#include "cli/run_policy.h"

#include "access/cap_bound.h"
#include "lib/protocol.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>

int run_policy_prepare(struct cli *cli, const char *path, struct run_policy *ret)
{
	struct canister_access_policy *policy = NULL;
	char why[512], gaps[256];
	int r;

	r = canister_access_policy_load(path, &policy, why, sizeof(why));
	if (r < 0) {
		cli_error(cli, -r, "%s", why);
		return 1;
	}
	/* What canisterd will hold, checked before anything is registered. */
	ret->text_len = canister_access_policy_print(policy, NULL, 0);
	if (ret->text_len > CANISTER_ACCESS_POLICY_TEXT_MAX) {
		cli_error(cli, E2BIG,
			  "%s: the policy prints to %zu bytes; canisterd takes at most %d", path,
			  ret->text_len, CANISTER_ACCESS_POLICY_TEXT_MAX);
		canister_access_policy_free(policy);
		return 1;
	}
	ret->text = malloc(ret->text_len + 1);
	if (!ret->text) {
		cli_error(cli, ENOMEM, "out of memory");
		canister_access_policy_free(policy);
		return 1;
	}
	canister_access_policy_print(policy, ret->text, ret->text_len + 1);
	r = access_landlock_prepare(policy, &ret->landlock, why, sizeof(why));
	ret->cap_bound = policy->cap_bound;
	canister_access_policy_free(policy);
	if (r < 0) {
		cli_error(cli, -r, "policy %s: %s", path, why);
		free(ret->text);
		ret->text = NULL;
		return 1;
	}
	ret->on = true;
	/* Said, not skipped: the kernel's Landlock decides what `canister run` can enforce. */
	if (access_ll_gaps_text(&ret->landlock.gaps, gaps, sizeof(gaps))) {
		if (ret->landlock.abi < 1)
			fprintf(stderr,
				"canister: policy %s: not enforced here (this kernel has no "
				"Landlock): %s\n",
				path, gaps);
		else
			fprintf(stderr,
				"canister: policy %s: not enforced here (Landlock ABI %d): %s\n",
				path, ret->landlock.abi, gaps);
	}
	return 0;
}

int run_policy_enforce(const struct run_policy *rp)
{
	char why[512];
	int r;

	if (!rp->on)
		return 0;
	r = access_cap_bound_apply(rp->cap_bound, why, sizeof(why));
	if (r == 0)
		r = access_landlock_enforce(&rp->landlock, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "canister: cannot confine the workload: %s\n", why);
		return 1;
	}
	return 0;
}

void run_policy_release(struct run_policy *rp)
{
	if (rp->on)
		access_landlock_release(&rp->landlock);
	rp->on = false;
}
