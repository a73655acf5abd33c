/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: lsm mode: the fork_slots map's entries, keyed by a task's address. */
#ifndef CANISTER_FORK_SLOTS_BPF_H
#define CANISTER_FORK_SLOTS_BPF_H

#include "maps.bpf.h"

/*
 * A task's address names it from lsm/task_alloc, before it has a pid, to
 * lsm/task_free, which drops its entry (fork_room.bpf.c) before the address
 * can be reused.
 */

/* @task's entry, or NULL. */
static __always_inline struct canister_fork_room *fork_slot(struct task_struct *task)
{
	__u64 key = (__u64)task;

	return bpf_map_lookup_elem(&fork_slots, &key);
}

/* Adds @task's entry: 0, or -E2BIG when the map is full (-EEXIST: it has one). */
static __always_inline long fork_slot_add(struct task_struct *task,
					  const struct canister_fork_room *value)
{
	__u64 key = (__u64)task;

	return bpf_map_update_elem(&fork_slots, &key, value, BPF_NOEXIST);
}

static __always_inline void fork_slot_drop(struct task_struct *task)
{
	__u64 key = (__u64)task;

	bpf_map_delete_elem(&fork_slots, &key);
}

#endif /* CANISTER_FORK_SLOTS_BPF_H */
