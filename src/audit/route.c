// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: which audit sinks take a kernel event, from what its records show. */
#include "audit/route.h"

#include "audit/rules.h"

static bool chain_holds(const struct canister_route *route, uint64_t contid)
{
	for (unsigned int i = 0; i < route->depth; i++)
		if (route->chain[i] == contid)
			return true;
	return false;
}

bool canister_sink_takes(uint64_t sink_contid, const struct canister_audit_rule *rules,
			 size_t rule_count, const struct canister_route *route)
{
	const struct canister_syscall_facts *facts = route->facts;

	if (!chain_holds(route, sink_contid))
		return false;
	if (route->owned)
		return route->owner == sink_contid;
	if (rule_count == 0)
		return true;
	if (!facts->present)
		return false;
	for (size_t i = 0; i < rule_count; i++)
		if (canister_audit_rule_matches_syscall(&rules[i], facts->arch, facts->nr,
							facts->success))
			return true;
	return false;
}
