/* SPDX-License-Identifier: GPL-2.0-only */
/* canister run --policy: the access policy the workload starts under (capability bound, Landlock).
 */
#ifndef CANISTER_CLI_RUN_POLICY_H
#define CANISTER_CLI_RUN_POLICY_H

#include "access/landlock.h"
#include "cli/cli.h"

#include <stdbool.h>
#include <stdint.h>

struct run_policy {
	bool on;
	uint64_t cap_bound;
	struct access_landlock landlock;
	char *text; /* canonical, for canisterd to hold (malloc'd; the caller frees it) */
	size_t text_len;
};

/*
 * run_policy_prepare() - reads the policy file @path and builds what the
 * workload will be confined by, and the canonical text canisterd is to hold
 * for the container; says on stderr what this kernel cannot enforce.
 * Nonzero (reported) when the policy is refused.
 */
int run_policy_prepare(struct cli *cli, const char *path, struct run_policy *ret);

/*
 * run_policy_enforce() - in the child, before the workload's exec: the
 * capability bound, then the Landlock domain.  Nonzero (reported): the
 * workload must not run.
 */
int run_policy_enforce(const struct run_policy *rp);

/* run_policy_release() - the Landlock ruleset goes; ->text stays, the caller's to free. */
void run_policy_release(struct run_policy *rp);

#endif
