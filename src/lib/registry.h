/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: who may register which process into which container (pure decision, no I/O). */
#ifndef CANISTER_LIB_REGISTRY_H
#define CANISTER_LIB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What the kernel says about the process that connected to the control socket. */
struct canister_caller {
	pid_t tgid;
	bool cap_audit_control; /* effective, in the initial user namespace */
	bool in_container;	/* the caller's own thread group carries a contid */
};

/* What the kernel says about the process to be registered. */
struct canister_target {
	bool exists;
	pid_t tgid;
	bool has_children;
	bool in_container;
	uint64_t contid; /* when in_container */
};

/*
 * canister_registry_check_set() - may @caller register @target into @contid?
 *
 * Returns 0 when allowed, or, checked in this order:
 *   -EINVAL  @contid is (u64)-1, which means "unset"
 *   -EPERM   the caller lacks CAP_AUDIT_CONTROL in the initial user
 *            namespace, or is itself in a container (delegation comes later)
 *   -ESRCH   the target does not exist
 *   -EXDEV   the target is the caller itself: an orchestrator labels a child
 *            it has prepared, never the process that asks
 *   -EEXIST  the target already belongs to a container
 *   -EBUSY   the target has children, which would stay outside
 * and a one-line reason in @why.
 */
int canister_registry_check_set(const struct canister_caller *caller,
				const struct canister_target *target, uint64_t contid, char *why,
				size_t why_len);

#endif
