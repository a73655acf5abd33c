/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: who may read a container's measurement lists, and who may set its policy or TPM. */
#ifndef CANISTERD_INTEGRITY_ACCESS_H
#define CANISTERD_INTEGRITY_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the kernel says about a control caller. */
struct integrity_caller {
	bool host_admin;     /* CAP_AUDIT_CONTROL in the initial user namespace, in no container */
	uint64_t contid;     /* its container; CANISTER_CONTID_UNSET in none */
	uint32_t delegation; /* 0, or the delegation it holds (an orchestrator) */
};

/* The live container a request names. */
struct integrity_target {
	uint64_t contid;
	uint32_t owner;	       /* 0: the host; else the delegation that registered it */
	const uint64_t *chain; /* @contid and the containers it nests in, innermost first */
	unsigned int depth;
};

enum integrity_access {
	INTEGRITY_READ, /* its lists, PCRs and policy */
	INTEGRITY_SET,	/* its policy */
};

/*
 * integrity_access_check() - may @caller do @what to @target?  Pure.
 *
 * The host's administrator may do both; so may the orchestrator that owns the
 * container (registered it: its delegation is the container's owner).  A
 * process in a container may read the lists of its own container and of the
 * containers nested in it, as IMA namespaces would show a namespace its own
 * and its children's, but not its parent's or a sibling's: those say what
 * ran elsewhere.  Nobody inside may set a policy: the workload would choose
 * what is measured of itself.
 *
 * Returns 0, or -EPERM with one line in @why.
 */
int integrity_access_check(const struct integrity_caller *caller,
			   const struct integrity_target *target, enum integrity_access what,
			   char *why, size_t why_len);

#endif
