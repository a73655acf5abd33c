// SPDX-License-Identifier: GPL-2.0-only
/* canister: reports of a full labels map, at a bounded rate per container. */
#ifndef CANISTER_NO_ROOM_BPF_H
#define CANISTER_NO_ROOM_BPF_H

#include "maps.bpf.h"
#include "rate.bpf.h"

#define NO_ROOM_RECORDS_PER_SECOND 16

/*
 * A full labels map makes every fork of a labelled process a report: a fork
 * loop would fill the ring buffer (fork and exit records are lost with it)
 * and canister's log.  The counters (inherit_failed, fork_refused) count
 * every one.  Keys: (container, CANISTER_EV_INHERIT_FAILED or
 * CANISTER_EV_FORK_REFUSED).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct rate_key);
	__type(value, struct rate);
} no_room_rate SEC(".maps");

/*
 * Reports @type unless @contid had NO_ROOM_RECORDS_PER_SECOND of them in the
 * current second; the first report of a new second carries in its detail how
 * many the last one folded.
 */
static __always_inline void emit_no_room(__u32 type, __u32 tgid, __u32 other_tgid, __u64 contid)
{
	struct rate_key key = { .contid = contid, .kind = type };
	struct rate *rate;
	__u32 folded;

	rate = rate_window(&no_room_rate, &key, bpf_ktime_get_ns(), &folded);
	if (!rate_has_room(rate, NO_ROOM_RECORDS_PER_SECOND)) {
		rate_folded(rate);
		return;
	}
	rate_recorded(rate);
	emit(type, tgid, other_tgid, folded, contid);
}

#endif
