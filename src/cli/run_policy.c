// SPDX-License-Identifier: GPL-2.0-only
/* canister run --policy: the access policy the workload starts under (capability bound, Landlock).
 */
#include "cli/run_policy.h"

#include "access/cap_bound.h"

#include <stdio.h>

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
	r = access_landlock_prepare(policy, &ret->landlock, why, sizeof(why));
	ret->cap_bound = policy->cap_bound;
	canister_access_policy_free(policy);
	if (r < 0) {
		cli_error(cli, -r, "policy %s: %s", path, why);
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
