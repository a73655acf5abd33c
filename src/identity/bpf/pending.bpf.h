/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a task's label: the labels map's, or (lsm mode) one pending in task storage. */
#ifndef CANISTER_PENDING_BPF_H
#define CANISTER_PENDING_BPF_H

#include "maps.bpf.h"

/*
 * In lsm mode a labelled process's child always holds a slot (task_alloc),
 * but the labels map is not preallocated: the element itself can still fail
 * to allocate at the fork tracepoint (ENOMEM when the BPF allocator's cache
 * is empty or canisterd's memory cgroup is full, EBUSY).  The child then
 * keeps its label in the fork_room storage that task_alloc created for it
 * (pending), with the slot.  Threads share their leader's storage.
 *
 * An exec from another thread makes that thread the leader (de_thread) and
 * frees the old one: lsm/bprm_creds_for_exec (fork_room.bpf.c) gives the
 * thread a copy first.  Whatever storage is the leader's holds the group's
 * label; the others' copies are never read and own nothing, so the slot and
 * the census count are given back once, by the exit of the group
 * (pending_claim()), or move with the label into the labels map.
 */

/* The storage that holds @task's group's pending label, or NULL. */
static __always_inline struct canister_fork_room *pending_room(struct task_struct *task)
{
	struct canister_fork_room *room;

	room = bpf_task_storage_get(&fork_room, task->group_leader, 0, 0);
	if (!room || !room->pending)
		return NULL;
	return room;
}

/* The label of @task, whose thread group is @tgid: the labels map's, else a pending one. */
static __always_inline struct canister_label *task_label(struct task_struct *task, __u32 tgid)
{
	struct canister_label *label = bpf_map_lookup_elem(&labels, &tgid);
	struct canister_fork_room *room;

	if (label)
		return label;
	room = pending_room(task);
	return room ? &room->label : NULL;
}

/*
 * Takes @room's pending label away, with its slot: true for one caller only
 * (two threads of a group may exit at once).
 */
static __always_inline bool pending_claim(struct canister_fork_room *room)
{
	return __sync_val_compare_and_swap(&room->pending, 1, 0) == 1;
}

/*
 * Moves @tgid's pending label into the labels map, where canisterd looks
 * processes up by pid, if the map can take it now.  The entry is added
 * before the label stops being pending: no thread of the group ever finds
 * neither.  Its slot is the pending label's.
 */
static __always_inline void pending_retry(struct canister_fork_room *room, __u32 tgid)
{
	struct canister_label label = room->label;

	if (bpf_map_update_elem(&labels, &tgid, &label, BPF_NOEXIST) == 0)
		pending_claim(room);
}

#endif /* CANISTER_PENDING_BPF_H */
