// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: who may register which process into which container (pure decision, no I/O). */
#include "identity/registry.h"

#include "lib/name.h"
#include "lib/why.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool is_host(const struct canister_caller *caller)
{
	return caller->cap_audit_control && caller->contid == CANISTER_CONTID_UNSET;
}

int64_t canister_orchestrator_of(const struct canister_caller *caller)
{
	/* Host authority wins: a delegated host admin still acts for the host. */
	if (is_host(caller))
		return 0;
	if (caller->delegation)
		return caller->delegation;
	return -EPERM;
}

int canister_registry_check_authority(const struct canister_caller *caller, char *why,
				      size_t why_len)
{
	if (canister_orchestrator_of(caller) >= 0)
		return 0;
	if (caller->contid != CANISTER_CONTID_UNSET)
		return canister_refuse(why, why_len, -EPERM,
				       "caller (pid %d) is inside container %" PRIu64
				       " and holds no delegation",
				       (int)caller->tgid, caller->contid);
	return canister_refuse(
		why, why_len, -EPERM,
		"caller (pid %d) lacks CAP_AUDIT_CONTROL in the initial user namespace "
		"and holds no delegation",
		(int)caller->tgid);
}

/* A live container may only be joined by its owner, under its name, from where it nests. */
static int check_join(const struct canister_target *target, uint64_t contid, const char *name,
		      const struct canister_existing *existing, uint32_t orchestrator, char *why,
		      size_t why_len)
{
	if (existing->owner != orchestrator)
		return canister_refuse(why, why_len, -ENOTUNIQ,
				       "contid %" PRIu64 " belongs to another orchestrator",
				       contid);
	if (name && !existing->name[0])
		return canister_refuse(why, why_len, -ENOTUNIQ,
				       "contid %" PRIu64 " was registered without a name", contid);
	if (name && strcmp(name, existing->name) != 0)
		return canister_refuse(why, why_len, -ENOTUNIQ,
				       "contid %" PRIu64 " is bound to the name \"%s\"", contid,
				       existing->name);
	if (existing->parent != target->contid)
		return canister_refuse(why, why_len, -ENOTUNIQ,
				       "contid %" PRIu64 " nests elsewhere than pid %d's container",
				       contid, (int)target->tgid);
	return 0;
}

int canister_registry_check_set(const struct canister_caller *caller,
				const struct canister_target *target, uint64_t contid,
				const char *name, const struct canister_existing *existing,
				unsigned int nest_limit,
				struct canister_registration *ret_registration, char *why,
				size_t why_len)
{
	struct canister_registration reg = { 0 };
	int64_t orchestrator;
	int r;

	if (contid == CANISTER_CONTID_UNSET)
		return canister_refuse(why, why_len, -EINVAL, "contid %" PRIu64 " means unset",
				       contid);
	if (name) {
		r = canister_name_check(name, why, why_len);
		if (r < 0)
			return r;
	}
	orchestrator = canister_orchestrator_of(caller);
	if (orchestrator < 0)
		return canister_registry_check_authority(caller, why, why_len);
	if (!target->exists)
		return canister_refuse(why, why_len, -ESRCH, "no process %d", (int)target->tgid);
	if (target->tgid == caller->tgid)
		return canister_refuse(why, why_len, -EXDEV,
				       "pid %d is the caller itself; register a child instead",
				       (int)target->tgid);
	if (orchestrator != 0 && target->delegation != caller->delegation)
		return canister_refuse(
			why, why_len, -EXDEV,
			"pid %d is not a descendant of the delegated caller (pid %d)",
			(int)target->tgid, (int)caller->tgid);
	if (target->contid == contid)
		return canister_refuse(why, why_len, -EEXIST,
				       "pid %d already belongs to container %" PRIu64,
				       (int)target->tgid, contid);
	if (target->contid != CANISTER_CONTID_UNSET && target->contid != caller->contid)
		return canister_refuse(why, why_len, -EEXIST,
				       "pid %d already belongs to container %" PRIu64,
				       (int)target->tgid, target->contid);

	reg.owner = (uint32_t)orchestrator;
	if (existing && existing->exists) {
		r = check_join(target, contid, name, existing, reg.owner, why, why_len);
		if (r < 0)
			return r;
		reg.join = true;
		reg.parent = existing->parent;
		reg.depth = existing->depth;
	} else {
		reg.parent = target->contid;
		reg.depth = target->depth + 1;
		if (reg.depth > nest_limit)
			return canister_refuse(why, why_len, -EMLINK,
					       "container %" PRIu64
					       " would nest %u deep; the limit is %u",
					       contid, reg.depth, nest_limit);
	}
	if (target->has_children)
		return canister_refuse(
			why, why_len, -EBUSY,
			"pid %d already has children, which would stay outside the container",
			(int)target->tgid);
	*ret_registration = reg;
	return 0;
}

int canister_registry_check_delegate(const struct canister_caller *caller,
				     const struct canister_target *target, char *why,
				     size_t why_len)
{
	if (!is_host(caller))
		return canister_refuse(
			why, why_len, -EPERM,
			"only the host may delegate: caller (pid %d) needs CAP_AUDIT_CONTROL "
			"in the initial user namespace, outside any container",
			(int)caller->tgid);
	if (!target->exists)
		return canister_refuse(why, why_len, -ESRCH, "no process %d", (int)target->tgid);
	if (target->delegation)
		return canister_refuse(why, why_len, -EEXIST, "pid %d already holds delegation %u",
				       (int)target->tgid, (unsigned)target->delegation);
	return 0;
}
