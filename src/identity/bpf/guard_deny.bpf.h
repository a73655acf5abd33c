// SPDX-License-Identifier: GPL-2.0-only
/* canister: how the lsm-mode guards refuse: counted always, recorded at a bounded rate. */
#ifndef CANISTER_GUARD_DENY_BPF_H
#define CANISTER_GUARD_DENY_BPF_H

#include "maps.bpf.h"

#define EPERM 1

/* The rate key of all of a container's refusals by one guard object (hook 0 is no hook). */
#define GUARD_RATE_ALL_HOOKS 0
#define GUARD_RECORDS_PER_CONTAINER 64

struct guard_rate_key {
	__u64 contid;
	__u32 hook;
	__u32 pad;
};

struct guard_rate {
	__u64 window_ns; /* start of the current second */
	__u32 recorded;	 /* refusals recorded one by one in it */
	__u32 folded;	 /* refusals beyond CANISTER_GUARD_RECORDS_PER_SECOND in it */
};

/*
 * A container that repeats a refused call in a loop would otherwise fill the
 * ring buffer (fork and exit records are lost with it) and canisterd's log:
 * the guard's refusals would become the denial of service they prevent.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct guard_rate_key);
	__type(value, struct guard_rate);
} guard_rate SEC(".maps");

/* Every refusal is counted; the record of each is folded past the rate (see guard_rate). */
/*
 * The window of @key, started anew after a second; the summary of what the
 * last window folded is sent then.  Returns the entry, or NULL when the map
 * has no room (the refusal is then recorded).
 */
static __always_inline struct guard_rate *rate_window(struct guard_rate_key *key, __u64 now,
						      __u32 tgid)
{
	struct guard_rate *rate = bpf_map_lookup_elem(&guard_rate, key);
	__u32 folded;

	if (!rate) {
		struct guard_rate first = { .window_ns = now };

		bpf_map_update_elem(&guard_rate, key, &first, BPF_ANY);
		return bpf_map_lookup_elem(&guard_rate, key);
	}
	if (now - rate->window_ns >= 1000000000ULL) {
		folded = rate->folded;
		rate->window_ns = now;
		rate->recorded = 0;
		rate->folded = 0;
		if (folded && key->hook != GUARD_RATE_ALL_HOOKS)
			emit(CANISTER_EV_GUARD_FOLDED, tgid, folded, key->hook, key->contid);
	}
	return rate;
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
	struct guard_rate_key key = { .contid = contid, .hook = hook };
	struct guard_rate_key all = { .contid = contid, .hook = GUARD_RATE_ALL_HOOKS };
	__u64 now = bpf_ktime_get_ns();
	struct guard_rate *rate, *total;

	stat_inc(CANISTER_STAT_GUARD_DENIED);
	rate = rate_window(&key, now, tgid);
	total = rate_window(&all, now, tgid);
	if (rate && (rate->recorded >= CANISTER_GUARD_RECORDS_PER_SECOND ||
		     (total && total->recorded >= GUARD_RECORDS_PER_CONTAINER))) {
		__sync_fetch_and_add(&rate->folded, 1);
		return -EPERM;
	}
	if (rate)
		__sync_fetch_and_add(&rate->recorded, 1);
	if (total)
		__sync_fetch_and_add(&total->recorded, 1);
	emit(CANISTER_EV_GUARD_DENIED, tgid, target, hook, contid);
	return -EPERM;
}

#endif
