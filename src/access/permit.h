/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: who may load or read a container's access policy. */
#ifndef CANISTERD_ACCESS_PERMIT_H
#define CANISTERD_ACCESS_PERMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the kernel says about a control caller. */
struct access_caller {
	bool host_admin; /* CAP_AUDIT_CONTROL in the initial user namespace, in no container */
	const uint64_t *chain; /* its container and those it nests in, innermost first */
	unsigned int depth;    /* 0: in no container */
	uint32_t delegation;   /* 0, or the delegation it holds (an orchestrator) */
};

/* The live container a request names. */
struct access_target {
	uint64_t contid;
	uint32_t owner; /* 0: the host; else the delegation that registered it */
};

/*
 * access_permit_check() - may @caller load (@load) or read @target's access
 * policy?  Pure.
 *
 * The host's administrator may; so may the orchestrator that registered the
 * container (its delegation is the container's owner), unless that
 * orchestrator runs inside the container itself (or in one nested in it):
 * nothing inside a container chooses, or reads, the policy it is judged by.
 * A process of another container may not either, whatever it holds, unless
 * it is the owner (an orchestrator in a parent container that registered
 * this one nested in its own).
 *
 * Returns 0, or -EPERM with one line in @why.
 */
int access_permit_check(const struct access_caller *caller, const struct access_target *target,
			bool load, char *why, size_t why_len);

#endif
