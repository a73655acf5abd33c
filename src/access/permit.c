// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: who may load or read a container's access policy. */
#include "access/permit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

static bool inside(const struct access_caller *caller, uint64_t contid)
{
	for (unsigned int i = 0; i < caller->depth; i++)
		if (caller->chain[i] == contid)
			return true;
	return false;
}

int access_permit_check(const struct access_caller *caller, const struct access_target *target,
			bool load, char *why, size_t why_len)
{
	const char *what = load ? "load" : "read";

	if (caller->host_admin)
		return 0;
	/* First: a delegation inherited into the container must not make its workload an owner. */
	if (inside(caller, target->contid)) {
		snprintf(why, why_len,
			 "a process in container %" PRIu64 " (or in one nested in it) may not %s "
			 "its access policy: only the host's audit administrator or the "
			 "orchestrator that registered it may",
			 target->contid, what);
		return -EPERM;
	}
	/* Delegation 0 is the host's number in an owner: never a match for a caller without one. */
	if (caller->delegation && caller->delegation == target->owner)
		return 0;
	if (caller->depth)
		snprintf(why, why_len,
			 "a process in container %" PRIu64 " may not %s container %" PRIu64
			 "'s access policy: only the host's audit administrator or the "
			 "orchestrator that registered it may",
			 caller->chain[0], what, target->contid);
	else
		snprintf(why, why_len,
			 "only the host's audit administrator or the orchestrator that registered "
			 "container %" PRIu64 " may %s its access policy",
			 target->contid, what);
	return -EPERM;
}
