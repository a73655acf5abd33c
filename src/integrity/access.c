// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: who may read a container's measurement lists, and who may set its policy or TPM. */
#include "integrity/access.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

static bool in_chain(const struct integrity_target *target, uint64_t contid)
{
	for (unsigned int i = 0; i < target->depth; i++)
		if (target->chain[i] == contid)
			return true;
	return false;
}

int integrity_access_check(const struct integrity_caller *caller,
			   const struct integrity_target *target, enum integrity_access what,
			   char *why, size_t why_len)
{
	if (caller->host_admin)
		return 0;
	/* Delegation 0 is the host's number in an owner: never a match for a caller without one. */
	if (caller->delegation && caller->delegation == target->owner)
		return 0;
	if (what == INTEGRITY_READ && caller->contid != CANISTER_CONTID_UNSET &&
	    in_chain(target, caller->contid))
		return 0;
	if (what == INTEGRITY_SET)
		snprintf(why, why_len,
			 "only the host's audit administrator or the orchestrator that registered "
			 "container %" PRIu64 " may set its policy or its TPM",
			 target->contid);
	else if (caller->contid != CANISTER_CONTID_UNSET)
		snprintf(why, why_len,
			 "a process in container %" PRIu64 " may read the lists of that container "
			 "and of those nested in it, not container %" PRIu64 "'s",
			 caller->contid, target->contid);
	else
		snprintf(why, why_len,
			 "only the host's audit administrator, the orchestrator that registered "
			 "container %" PRIu64 " or a process in it (or in a container it nests in) "
			 "may read its lists",
			 target->contid);
	return -EPERM;
}
