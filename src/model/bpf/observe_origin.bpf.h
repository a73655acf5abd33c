/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: the origin of each process of a wanted
 * container, the task whose TASK_ID it runs with until it executes (both
 * observer variants).  A forked child runs its parent's program with its
 * parent's TASK_ID (TSEM's task_alloc copies it), so its records name the
 * task whose exec canisterd remembered: the child may end before its
 * records are read, and /proc then no longer has it.  The programs' names
 * start with "origin_": the loader loads them beside the events' programs,
 * and a kernel that refuses them leaves the records without an origin.
 */
#ifndef CANISTER_MODEL_OBSERVE_ORIGIN_BPF_H
#define CANISTER_MODEL_OBSERVE_ORIGIN_BPF_H

#include "observe.bpf.h"
#include <bpf/bpf_tracing.h>

/*
 * After copy_process() and before the child first runs: a new thread
 * group's origin is its parent's while the parent has not executed since
 * its own fork, else the parent itself (the task whose exec set the
 * TASK_ID, as the gate remembered it).  The fork runs in the parent:
 * current is @parent (CLONE_PARENT too).
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(origin_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tgid = child->tgid, parent_tgid = parent->tgid;
	struct canister_model_obs_origin entry = {};
	__u64 contid = 0, parent_start;

	/* A new thread is its group's: the group's entry stays. */
	if (child->pid != child_tgid)
		return 0;
	if (!current_wanted(&contid)) {
		/* A recycled tgid keeps no entry a process gone unseen left. */
		bpf_map_delete_elem(&model_origins, &child_tgid);
		return 0;
	}
	parent_start = BPF_CORE_READ(parent, group_leader, start_boottime);
	origin_of(parent_tgid, parent_start, &entry.origin);
	if (!entry.origin.tgid) {
		entry.origin.tgid = parent_tgid;
		task_key_of(parent, &entry.origin.exe_dev, &entry.origin.exe_ino,
			    &entry.origin.start_ns);
	}
	/* The child leads its group: its own start is the one records carry. */
	entry.start_ns = child->start_boottime;
	if (bpf_map_update_elem(&model_origins, &child_tgid, &entry, BPF_ANY))
		model_count(CANISTER_MODEL_OBS_ORIGINS_FULL);
	return 0;
}

/*
 * An exec gives the process a TASK_ID of its own, which the gate
 * remembered by the process's own key: no origin from here on.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(origin_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = task->tgid;

	bpf_map_delete_elem(&model_origins, &tgid);
	return 0;
}

/* The group's last thread: its entry goes with it (its records already carry the origin). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(origin_exit, struct task_struct *task)
{
	__u32 tgid = task->tgid;

	if (task->signal->live.counter != 0)
		return 0;
	bpf_map_delete_elem(&model_origins, &tgid);
	return 0;
}

#endif
