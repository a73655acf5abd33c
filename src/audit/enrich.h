/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the CONTAINER_ID records canisterd adds to a kernel audit event. */
#ifndef CANISTER_AUDIT_ENRICH_H
#define CANISTER_AUDIT_ENRICH_H

#include "audit/event.h"

/*
 * audit_enrich() - after the kernel's records of @event, one CONTAINER_ID
 * record for each of them whose process was in a container (@places[i] for
 * record i, depth 0: none), with the event's stamp so that ausearch reads
 * it with the event:
 *
 *   [PREFIX]type=CONTAINER_ID msg=audit(1700000000.456:77): record=1 contid=4,^2
 *
 * @prefix (@prefix_len bytes) as the kernel's records have it ("node=NAME ").
 * Returns the number of records added, or -ENOMEM/-E2BIG (those added so
 * far stay: each is whole).
 */
int audit_enrich(struct audit_event *event, const struct audit_place *places, const char *prefix,
		 size_t prefix_len);

#endif
