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
 * every one.  Keys: (container, CANISTER_EV_INHERIT_ERROR or
 * CANISTER_EV_FORK_REFUSED).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct rate_key);
	__type(value, struct rate);
} no_room_rate SEC(".maps");

/*
 * Whether a report of @type for @contid is recorded now: not when @contid had
 * NO_ROOM_RECORDS_PER_SECOND of them in the current second.  *@ret_folded is
 * what the second before folded, for the first report of a new second.
 */
static __always_inline bool no_room_record(__u32 type, __u64 contid, __u32 *ret_folded)
{
	struct rate_key key = { .contid = contid, .kind = type };
	struct rate *rate;

	rate = rate_window(&no_room_rate, &key, bpf_ktime_get_ns(), ret_folded);
	if (!rate_has_room(rate, NO_ROOM_RECORDS_PER_SECOND)) {
		rate_folded(rate);
		return false;
	}
	rate_recorded(rate);
	return true;
}

/* Reports @type, its detail the count folded in the second before. */
static __always_inline void emit_no_room(__u32 type, __u32 tgid, __u32 other_tgid, __u64 contid)
{
	__u32 folded;

	if (no_room_record(type, contid, &folded))
		emit(type, tgid, other_tgid, folded, contid);
}

/*
 * Reports a process the labels map could not take (@err, a negative errno):
 * @pending, its label is kept in its task storage (lsm mode), else it runs
 * unlabelled.  The folded count shares the detail with the errno.
 */
static __always_inline void emit_inherit_error(__u32 tgid, __u32 other_tgid, __u64 contid, int err,
					       bool pending)
{
	__u32 folded, detail;

	if (!no_room_record(CANISTER_EV_INHERIT_ERROR, contid, &folded))
		return;
	if (folded > CANISTER_INHERIT_FOLDED_MAX)
		folded = CANISTER_INHERIT_FOLDED_MAX;
	detail = ((__u32)-err & CANISTER_INHERIT_ERRNO_MASK) |
		 folded << CANISTER_INHERIT_FOLDED_SHIFT;
	if (pending)
		detail |= CANISTER_INHERIT_PENDING;
	emit(CANISTER_EV_INHERIT_ERROR, tgid, other_tgid, detail, contid);
}

#endif
