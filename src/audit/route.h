/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: which audit sinks take a kernel event, from what its records show. */
#ifndef CANISTER_LIB_AUDIT_ROUTE_H
#define CANISTER_LIB_AUDIT_ROUTE_H

#include <libaudit.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct canister_audit_rule;

/* What routing needs of an event's SYSCALL record, read once as the event is built (event.h). */
struct canister_syscall_facts {
	bool present; /* a SYSCALL record with arch= and syscall= */
	uint32_t arch;
	unsigned int nr;
	bool success; /* success=yes */
	/* Its key= when the kernel wrote one plain key ("k"); "" for (null) or several (hex). */
	char key[AUDIT_MAX_KEY_LEN + 1];
};

/* An event as the router sees it. */
struct canister_route {
	const uint64_t *chain; /* the acting process's containers, innermost first */
	unsigned int depth;    /* 0: in no container */
	const struct canister_syscall_facts *facts;
	bool owned;	/* the event's key is a sink's rule's: that sink's alone */
	uint64_t owner; /* that sink's container */
};

/*
 * canister_sink_takes() - does the sink of container @sink_contid, with
 * @rules (each passed canister_audit_rule_sink_check()), take @route's event?
 * Only if the acting process is in @sink_contid or nested in it; then an
 * event of a sink's own rule goes to that sink alone; else a sink without
 * rules takes every event, one with rules the syscall events a rule selects.
 */
bool canister_sink_takes(uint64_t sink_contid, const struct canister_audit_rule *rules,
			 size_t rule_count, const struct canister_route *route);

#endif
