// SPDX-License-Identifier: GPL-2.0-only
/* canister: records a container can cause in a loop, one by one up to a rate, the rest counted. */
#ifndef CANISTER_RATE_BPF_H
#define CANISTER_RATE_BPF_H

#include "maps.bpf.h"

#define RATE_WINDOW_NS 1000000000ULL

/* Whose records a window counts: a container's, of one kind (a hook, an event type). */
struct rate_key {
	__u64 contid;
	__u32 kind;
	__u32 pad;
};

struct rate {
	__u64 window_ns; /* start of the current second */
	__u32 recorded;	 /* recorded one by one in it */
	__u32 folded;	 /* counted only */
};

/*
 * The window of @key in @map (an LRU hash of struct rate), started anew once
 * a second has passed; *@ret_folded is what the window that ended folded
 * (0 otherwise), for its summary.  NULL when the map has no room: the caller
 * then records.
 */
static __always_inline struct rate *rate_window(void *map, struct rate_key *key, __u64 now,
						__u32 *ret_folded)
{
	struct rate *rate = bpf_map_lookup_elem(map, key);

	*ret_folded = 0;
	if (!rate) {
		struct rate first = { .window_ns = now };

		bpf_map_update_elem(map, key, &first, BPF_ANY);
		return bpf_map_lookup_elem(map, key);
	}
	if (now - rate->window_ns >= RATE_WINDOW_NS) {
		*ret_folded = rate->folded;
		rate->window_ns = now;
		rate->recorded = 0;
		rate->folded = 0;
	}
	return rate;
}

/* Whether @rate's window has recorded fewer than @limit. */
static __always_inline bool rate_has_room(const struct rate *rate, __u32 limit)
{
	return !rate || rate->recorded < limit;
}

/* One more recorded in @rate's window. */
static __always_inline void rate_recorded(struct rate *rate)
{
	if (rate)
		__sync_fetch_and_add(&rate->recorded, 1);
}

/* One more counted but not recorded in @rate's window. */
static __always_inline void rate_folded(struct rate *rate)
{
	if (rate)
		__sync_fetch_and_add(&rate->folded, 1);
}

#endif
