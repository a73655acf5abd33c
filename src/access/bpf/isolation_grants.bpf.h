/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: lsm mode: whether a labelled process may act on another process (isolation, grants). */
#ifndef CANISTER_ISOLATION_GRANTS_BPF_H
#define CANISTER_ISOLATION_GRANTS_BPF_H

#include "../../identity/bpf/pending.bpf.h"
#include "../isolation_abi.h"
#include <bpf/bpf_core_read.h>

/*
 * Written by canisterd only (the guard keeps every labelled process off it)
 * and pinned: the grants keep holding, and nothing more, while canisterd is
 * gone.  Declared by identity's guard (ptrace) and by isolation.bpf.c
 * (signals): both find the same map through the pin.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ISOLATION_GRANTS_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_isolation_grant_key);
	__type(value, __u32);
} isolation_grants SEC(".maps");

/* The effective uid of @task as the host numbers it. */
static __always_inline __u32 isolation_euid(struct task_struct *task)
{
	return BPF_CORE_READ(task, cred, euid.val);
}

/* Whether container @contid is @holder or nested in it (the pinned containers map's parents). */
static __always_inline bool isolation_within(__u64 contid, __u64 holder)
{
	for (int i = 0; i < CANISTER_ISOLATION_NEST_MAX; i++) {
		struct canister_container *c;

		if (contid == CANISTER_CONTID_UNSET)
			return false;
		if (contid == holder)
			return true;
		c = bpf_map_lookup_elem(&containers, &contid);
		if (!c)
			return false;
		contid = c->parent;
	}
	return false;
}

static __always_inline bool isolation_granted(__u64 holder, __u64 target, __u32 uid,
					      __u32 target_uid)
{
	struct canister_isolation_grant_key key = {
		.holder = holder,
		.target = target,
		.uid = uid,
		.target_uid = target_uid,
	};

	return bpf_map_lookup_elem(&isolation_grants, &key) != 0;
}

/*
 * Whether a process of container @holder running as @uid may act on an object
 * of container @target_contid (CANISTER_CONTID_UNSET: the host's) owned by
 * @target_uid: one of @holder or of a container nested in it; else any when
 * @holder holds host-admin; else one of container M owned by V when
 * @holder holds a credential for exactly (M, V), for @uid or any uid.
 */
static __always_inline bool isolation_allows_object(__u64 holder, __u32 uid, __u64 target_contid,
						    __u32 target_uid)
{
	if (isolation_within(target_contid, holder))
		return true;
	if (isolation_granted(holder, CANISTER_ISOLATION_HOST_ADMIN, CANISTER_ISOLATION_ANY_UID,
			      CANISTER_ISOLATION_ANY_UID))
		return true;
	if (target_contid == CANISTER_CONTID_UNSET)
		return false;
	return isolation_granted(holder, target_contid, uid, target_uid) ||
	       isolation_granted(holder, target_contid, CANISTER_ISOLATION_ANY_UID, target_uid);
}

/*
 * isolation_allows_object() for process @target (its container from its
 * label: a host process, or a delegated one, is the host's; its effective
 * uid), which come back for the report.
 */
static __always_inline bool isolation_allows(__u64 holder, __u32 uid, struct task_struct *target,
					     __u64 *ret_target_contid, __u32 *ret_target_uid)
{
	struct canister_label *label = task_label(target, BPF_CORE_READ(target, tgid));

	*ret_target_contid = label ? label->contid : CANISTER_CONTID_UNSET;
	*ret_target_uid = isolation_euid(target);
	return isolation_allows_object(holder, uid, *ret_target_contid, *ret_target_uid);
}

#endif
