// SPDX-License-Identifier: GPL-2.0-only
/* canister: how the lsm-mode guards refuse: counted always, recorded at a bounded rate. */
#ifndef CANISTER_GUARD_DENY_BPF_H
#define CANISTER_GUARD_DENY_BPF_H

#include "maps.bpf.h"
#include "pending.bpf.h"
#include "rate.bpf.h"

#define EPERM 1

/* The rate kind of all of a container's refusals by one guard object (hook 0 is no hook). */
#define GUARD_RATE_ALL_HOOKS 0
#define GUARD_RECORDS_PER_CONTAINER 64
#define PTRACE_MODE_NOAUDIT 0x04

/*
 * A container that repeats a refused call in a loop would otherwise fill the
 * ring buffer (fork and exit records are lost with it) and canisterd's log:
 * the guard's refusals would become the denial of service they prevent.
 * Keys: (container, hook) and (container, GUARD_RATE_ALL_HOOKS).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct rate_key);
	__type(value, struct rate);
} guard_rate SEC(".maps");

/* current's thread group and its label (pending or not), or NULL when it has none. */
static __always_inline struct canister_label *current_label(__u32 *ret_tgid)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	*ret_tgid = tgid;
	return task_label(bpf_get_current_task_btf(), tgid);
}

/* The label of current when it is in a container; delegated host processes are not. */
static __always_inline struct canister_label *contained(__u32 *ret_tgid)
{
	struct canister_label *label = current_label(ret_tgid);

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	return label;
}

/*
 * Every refusal is counted; it is recorded one by one while its container
 * has recorded fewer than CANISTER_GUARD_RECORDS_PER_SECOND of this hook and
 * GUARD_RECORDS_PER_CONTAINER of all hooks of this object in the current
 * second, and folded into the hook's next summary otherwise: cycling
 * through the hooks does not multiply a container's budget.
 */
static __always_inline int deny(__u32 tgid, __u32 target, __u32 hook, __u64 contid)
{
	struct rate_key key = { .contid = contid, .kind = hook };
	struct rate_key all = { .contid = contid, .kind = GUARD_RATE_ALL_HOOKS };
	__u64 now = bpf_ktime_get_ns();
	struct rate *rate, *total;
	__u32 folded, ignored;

	stat_inc(CANISTER_STAT_GUARD_DENIED);
	rate = rate_window(&guard_rate, &key, now, &folded);
	if (folded)
		emit(CANISTER_EV_GUARD_FOLDED, tgid, folded, hook, contid);
	total = rate_window(&guard_rate, &all, now, &ignored);
	if (!rate_has_room(rate, CANISTER_GUARD_RECORDS_PER_SECOND) ||
	    !rate_has_room(total, GUARD_RECORDS_PER_CONTAINER)) {
		rate_folded(rate);
		return -EPERM;
	}
	rate_recorded(rate);
	rate_recorded(total);
	emit(CANISTER_EV_GUARD_DENIED, tgid, target, hook, contid);
	return -EPERM;
}

#endif
