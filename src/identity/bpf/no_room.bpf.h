// SPDX-License-Identifier: GPL-2.0-only
/* canister: reports of a full labels map, at a bounded rate per container. */
#ifndef CANISTER_NO_ROOM_BPF_H
#define CANISTER_NO_ROOM_BPF_H

#include "maps.bpf.h"

#define NO_ROOM_RECORDS_PER_SECOND 16

struct no_room_key {
	__u64 contid;
	__u32 type; /* CANISTER_EV_INHERIT_FAILED or CANISTER_EV_FORK_REFUSED */
	__u32 pad;
};

struct no_room_rate {
	__u64 window_ns; /* start of the current second */
	__u32 recorded;	 /* reported one by one in it */
	__u32 folded;	 /* counted only */
};

/*
 * A full labels map makes every fork of a labelled process a report: a fork
 * loop would fill the ring buffer (fork and exit records are lost with it)
 * and canister's log.  The counters (inherit_failed, fork_refused) count
 * every one.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct no_room_key);
	__type(value, struct no_room_rate);
} no_room_rate SEC(".maps");

/*
 * Reports @type unless @contid had NO_ROOM_RECORDS_PER_SECOND of them in the
 * current second; the first report of a new second carries in its detail how
 * many the last one folded.
 */
static __always_inline void emit_no_room(__u32 type, __u32 tgid, __u32 other_tgid, __u64 contid)
{
	struct no_room_key key = { .contid = contid, .type = type };
	__u64 now = bpf_ktime_get_ns();
	struct no_room_rate *rate = bpf_map_lookup_elem(&no_room_rate, &key);
	__u32 folded = 0;

	if (!rate) {
		struct no_room_rate first = { .window_ns = now, .recorded = 1 };

		bpf_map_update_elem(&no_room_rate, &key, &first, BPF_ANY);
	} else if (now - rate->window_ns >= 1000000000ULL) {
		folded = rate->folded;
		rate->window_ns = now;
		rate->recorded = 1;
		rate->folded = 0;
	} else if (rate->recorded < NO_ROOM_RECORDS_PER_SECOND) {
		__sync_fetch_and_add(&rate->recorded, 1);
	} else {
		__sync_fetch_and_add(&rate->folded, 1);
		return;
	}
	emit(type, tgid, other_tgid, folded, contid);
}

#endif
