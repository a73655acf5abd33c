/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the maps every BPF object shares (userspace ties them together through the pins). */
#ifndef CANISTER_MAPS_BPF_H
#define CANISTER_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <canister/abi.h>

/*
 * Sized by canisterd before load (labels_max, by default kernel.pid_max).
 * Not preallocated: pid_max reaches 4194304 on systemd hosts, and memory is
 * then taken per labelled process, not for every pid the host could have.
 * Entries are only added through room_reserve() below.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_LABELS_MAX_MIN);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32); /* tgid */
	__type(value, struct canister_label);
} labels SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct canister_labels_room);
} labels_room SEC(".maps");

/*
 * lsm mode: the slot a child being forked holds, from task_alloc to the fork
 * tracepoint, and a label the labels map could not take (pending.bpf.h).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_fork_room);
} fork_room SEC(".maps");

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

/*
 * The cgroup v2 id (its directory's kernfs id) each container was registered
 * in, or its parent's when that is not within the parent's: the cgroups its
 * processes may write in lsm mode (isolation.bpf.c).  Written by canisterd
 * only, at registration (container_cgroup.c); no entry: none was read.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_CONTAINERS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);   /* contid */
	__type(value, __u64); /* cgroup id */
} container_cgroups SEC(".maps");

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

/*
 * Takes one slot of the labels map for an entry about to be added: false when
 * the map has none left.  Raising the count first and undoing it on overflow
 * keeps it exact under concurrency: no two adders can both take the last one.
 */
static __always_inline bool room_reserve(void)
{
	struct canister_labels_room *room;
	__u32 zero = 0;

	room = bpf_map_lookup_elem(&labels_room, &zero);
	if (!room)
		return false;
	if (__sync_fetch_and_add(&room->used, 1) < room->capacity)
		return true;
	__sync_fetch_and_add(&room->used, -1);
	return false;
}

/* Gives back a slot: an entry left the map, or a reserved one was never added. */
static __always_inline void room_release(void)
{
	struct canister_labels_room *room;
	__u32 zero = 0;

	room = bpf_map_lookup_elem(&labels_room, &zero);
	if (room)
		__sync_fetch_and_add(&room->used, -1);
}

/*
 * Adds @tgid's label, or replaces the one a dead process left on a recycled
 * pid (which holds its slot already).  @reserved: a slot was taken for it
 * (lsm mode, at task_alloc); on failure it is still the caller's.  Returns 0
 * or a negative errno (-ENOSPC: full; -ENOMEM, -EBUSY: no element).
 */
static __always_inline int labels_add(__u32 tgid, const struct canister_label *label, bool reserved)
{
	int r;

	if (bpf_map_lookup_elem(&labels, &tgid)) {
		r = bpf_map_update_elem(&labels, &tgid, label, BPF_EXIST);
		if (!r && reserved)
			room_release();
		return r;
	}
	if (!reserved && !room_reserve())
		return -28; /* ENOSPC */
	r = bpf_map_update_elem(&labels, &tgid, label, BPF_NOEXIST);
	if (r && !reserved)
		room_release();
	return r;
}

/* Removes @tgid's label; true if it had one. */
static __always_inline bool labels_remove(__u32 tgid)
{
	if (bpf_map_delete_elem(&labels, &tgid))
		return false;
	room_release();
	return true;
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
