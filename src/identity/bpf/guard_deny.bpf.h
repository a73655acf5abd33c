// SPDX-License-Identifier: GPL-2.0-only
/* canister: how the lsm-mode guards refuse: counted always, recorded at a bounded rate. */
#ifndef CANISTER_GUARD_DENY_BPF_H
#define CANISTER_GUARD_DENY_BPF_H

#include "maps.bpf.h"

#define EPERM 1

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
static __always_inline int deny(__u32 tgid, __u32 target, __u32 hook, __u64 contid)
{
	struct guard_rate_key key = { .contid = contid, .hook = hook };
	__u64 now = bpf_ktime_get_ns();
	struct guard_rate *rate;
	__u32 folded;

	stat_inc(CANISTER_STAT_GUARD_DENIED);
	rate = bpf_map_lookup_elem(&guard_rate, &key);
	if (!rate) {
		struct guard_rate first = { .window_ns = now, .recorded = 1 };

		bpf_map_update_elem(&guard_rate, &key, &first, BPF_ANY);
	} else if (now - rate->window_ns >= 1000000000ULL) {
		folded = rate->folded;
		rate->window_ns = now;
		rate->recorded = 1;
		rate->folded = 0;
		if (folded)
			emit(CANISTER_EV_GUARD_FOLDED, tgid, folded, hook, contid);
	} else if (rate->recorded < CANISTER_GUARD_RECORDS_PER_SECOND) {
		__sync_fetch_and_add(&rate->recorded, 1);
	} else {
		__sync_fetch_and_add(&rate->folded, 1);
		return -EPERM;
	}
	emit(CANISTER_EV_GUARD_DENIED, tgid, target, hook, contid);
	return -EPERM;
}

#endif
