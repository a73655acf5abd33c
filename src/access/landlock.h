/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister: an access policy made into a Landlock ruleset (by `canister run`,
 * before the workload starts), and applied to the calling process.
 */
#ifndef CANISTER_ACCESS_LANDLOCK_H
#define CANISTER_ACCESS_LANDLOCK_H

#include "access/landlock_rights.h"
#include "access/policy.h"

/* At most this many file grants (rules plus the entries a hole expands to). */
#define ACCESS_LANDLOCK_GRANTS_MAX 65536

struct access_landlock {
	int fd;	 /* the ruleset, or -1 when the policy needs no Landlock domain */
	int abi; /* the running kernel's Landlock ABI version; <= 0: Landlock unavailable */
	struct access_ll_gaps gaps;
};

/* access_landlock_abi() - the running kernel's Landlock ABI version, or -errno. */
int access_landlock_abi(void);

/*
 * access_landlock_prepare() - the ruleset that enforces what Landlock can of
 * @policy on this kernel (paths as this process sees them), in *@ret.
 * @ret->gaps says what it cannot.  -errno with @why.
 */
int access_landlock_prepare(const struct canister_access_policy *policy,
			    struct access_landlock *ret, char *why, size_t why_len);

/*
 * access_landlock_enforce() - the calling process (and what it execs) is
 * confined by @ll's ruleset from now on, for good.  A process without
 * CAP_SYS_ADMIN gets no_new_privs first, as Landlock requires.
 */
int access_landlock_enforce(const struct access_landlock *ll, char *why, size_t why_len);

void access_landlock_release(struct access_landlock *ll);

#endif
