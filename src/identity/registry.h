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
	uint64_t contid;	/* CANISTER_CONTID_UNSET outside containers */
	uint32_t delegation;	/* 0, or the delegation it holds */
	uint32_t depth;		/* nesting depth of its container; 0 outside */
};

/* What the kernel says about the process to be registered. */
struct canister_target {
	bool exists;
	pid_t tgid;
	bool has_children;
	uint64_t contid;     /* CANISTER_CONTID_UNSET outside containers */
	uint32_t delegation; /* 0, or the delegation it inherited */
	uint32_t depth;	     /* nesting depth of its container; 0 outside */
};

/* The container a request names, when it is live. */
struct canister_existing {
	bool exists;
	uint64_t parent; /* CANISTER_CONTID_UNSET for a top-level container */
	uint32_t depth;
	uint32_t owner;	  /* 0: the host; else a delegation */
	const char *name; /* "" when none */
};

/* What an allowed registration does. */
struct canister_registration {
	bool join;	 /* adds the target to the live container */
	uint64_t parent; /* of the container the target ends up in */
	uint32_t depth;
	uint32_t owner; /* the orchestrator the caller acts as */
};

/*
 * canister_orchestrator_of() - which orchestrator @caller acts as: 0 for the
 * host (CAP_AUDIT_CONTROL in the initial user namespace, outside any
 * container), its delegation for a delegated process, or -EPERM.
 */
int64_t canister_orchestrator_of(const struct canister_caller *caller);

/*
 * canister_registry_check_authority() - may @caller register at all?  Returns
 * 0, or -EPERM with the reason in @why (the EPERM of the rules below).  Asked
 * first when the daemon is to choose the contid, so that an unauthorised
 * caller learns EPERM, not EINVAL.
 */
int canister_registry_check_authority(const struct canister_caller *caller, char *why,
				      size_t why_len);

/*
 * canister_registry_check_set() - may @caller register @target into @contid
 * (named @name, or NULL), given the live container @existing of that contid
 * and the nesting limit @nest_limit?
 *
 * Returns 0 with what to do in *ret_registration, or, checked in this order:
 *   -EINVAL    @contid is (u64)-1, which means "unset"; or @name is malformed
 *   -EPERM     the caller lacks CAP_AUDIT_CONTROL in the initial user
 *              namespace or is in a container, and holds no delegation
 *   -ESRCH     the target does not exist
 *   -EXDEV     the target is the caller itself, or a delegated caller's
 *              target is not its descendant (does not carry its delegation)
 *   -EEXIST    the target already belongs to a container and this is not a
 *              nested registration (target in the caller's own container),
 *              or it is already in @contid
 *   -ENOTUNIQ  @contid is live and owned by another orchestrator, or bound to
 *              another name, or nested elsewhere than the target's container
 *   -EMLINK    a new container would be deeper than @nest_limit
 *   -EBUSY     the target has children, which would stay outside
 * and a one-line reason in @why.
 */
int canister_registry_check_set(const struct canister_caller *caller,
				const struct canister_target *target, uint64_t contid,
				const char *name, const struct canister_existing *existing,
				unsigned int nest_limit,
				struct canister_registration *ret_registration, char *why,
				size_t why_len);

/*
 * canister_registry_check_delegate() - may @caller let @target register its
 * own descendants?  Returns 0, or:
 *   -EPERM   the caller is not the host (CAP_AUDIT_CONTROL in the initial
 *            user namespace, outside any container)
 *   -ESRCH   the target does not exist
 *   -EEXIST  the target already holds a delegation
 */
int canister_registry_check_delegate(const struct canister_caller *caller,
				     const struct canister_target *target, char *why,
				     size_t why_len);

#endif
