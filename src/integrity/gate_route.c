// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: where the file gate sends one permission event (pure). */
#include "integrity/gate_route.h"

enum gate_route gate_route(const struct gate_route_facts *facts)
{
	if (facts->pid == facts->self)
		return GATE_ROUTE_SELF;
	if (!facts->labelled)
		return GATE_ROUTE_HOST;
	if (facts->pending >= facts->pending_max ||
	    facts->container_pending >= facts->container_max)
		return GATE_ROUTE_BUSY;
	return GATE_ROUTE_JUDGE;
}
