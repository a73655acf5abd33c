/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the maps every BPF object shares (userspace ties them together through the pins). */
#ifndef CANISTER_MAPS_BPF_H
#define CANISTER_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <canister/abi.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_LABELLED);
	__type(key, __u32); /* tgid */
	__type(value, struct canister_label);
} labels SEC(".maps");

/* Written by canisterd only; the programs never read it, the guard protects it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_CONTAINERS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64); /* contid */
	__type(value, struct canister_container);
} containers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_CONTAINERS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64); /* contid */
	__type(value, struct canister_census);
} census SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_WATCHED);
	__type(key, __u32); /* tgid */
	__type(value, struct canister_watch);
} watch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_CONTAINERS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32); /* mount namespace inode */
	__type(value, struct canister_nsjoin);
} nsjoin SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_EVENTS_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CANISTER_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_inc(__u32 index)
{
	__u64 *count = bpf_map_lookup_elem(&stats, &index);

	if (count)
		*count += 1;
}

static __always_inline void census_add(__u64 contid, __s64 n)
{
	struct canister_census *census_entry;

	if (contid == CANISTER_CONTID_UNSET)
		return;
	census_entry = bpf_map_lookup_elem(&census, &contid);
	if (census_entry)
		__sync_fetch_and_add(&census_entry->delta, n);
}

/*
 * Waking canisterd for each record costs the forking process more than the
 * BPF programs do (a context switch per fork, on a small machine), so routine
 * records (fork, exec, exit) are left for canisterd's periodic drain, unless
 * the buffer is a quarter full; the rest wake it at once.
 */
static __always_inline __u64 wakeup_flags(__u32 type)
{
	if ((type == CANISTER_EV_FORK || type == CANISTER_EV_EXEC || type == CANISTER_EV_EXIT) &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) < CANISTER_EVENTS_BYTES / 4)
		return BPF_RB_NO_WAKEUP;
	return BPF_RB_FORCE_WAKEUP;
}

/* A full ring buffer must not go unnoticed: the drop is counted and shown by `canister status`. */
static __always_inline void emit(__u32 type, __u32 tgid, __u32 other_tgid, __u32 detail,
				 __u64 contid)
{
	struct canister_event *event;

	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		stat_inc(CANISTER_STAT_LOST);
		return;
	}
	event->type = type;
	event->tgid = tgid;
	event->other_tgid = other_tgid;
	event->detail = detail;
	event->contid = contid;
	event->ktime_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(event, wakeup_flags(type));
	stat_inc(CANISTER_STAT_EVENTS);
}

#endif /* CANISTER_MAPS_BPF_H */
