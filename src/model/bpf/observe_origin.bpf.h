/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: what a forked process takes from its parent
 * (both observer variants): the task whose TASK_ID it runs with until it
 * executes (its origin, for the records: the child may end before its
 * records are read, and /proc then no longer has it) and, in lsm mode, that
 * TASK_ID itself, which the hooks of an enforced domain judge it with (TSEM's
 * task_alloc copies a parent's TASK_ID to its child).  One fork program for
 * both, one task storage (model_forks) on the process's leader: freed with
 * it, never shared.  The programs' names start with "origin_": the loader
 * loads them beside the events' programs, and a kernel that refuses them
 * leaves the records without an origin and forked children without a
 * TASK_ID in the kernel (an enforced domain's are then denied).
 */
#ifndef CANISTER_MODEL_OBSERVE_ORIGIN_BPF_H
#define CANISTER_MODEL_OBSERVE_ORIGIN_BPF_H

#include "observe.bpf.h"
#include <bpf/bpf_tracing.h>

/*
 * After copy_process() and before the child first runs: a new process's
 * origin is its parent's while the parent has not executed since its own
 * fork, else the parent itself (the task whose exec set the TASK_ID, as the
 * gate remembered it); its TASK_ID in the kernel is the one the parent is
 * judged with now.  Made for a child of a wanted container's process, or of
 * any process that has an entry.  The fork runs in the parent: current is
 * @parent (CLONE_PARENT too).
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(origin_fork, struct task_struct *parent, struct task_struct *child)
{
	struct canister_model_obs_fork entry = {}, *from, *made;
	__u64 contid = 0;
	__u8 *task_id = NULL;

	/* A new thread is its group's: the leader's entry is the thread's too. */
	if (child->pid != child->tgid)
		return 0;
	from = fork_entry(parent);
#ifdef CANISTER_MODEL_OBSERVE_LSM
	{
		const struct canister_model_obs_deny_settings *settings = deny_settings();

		if (settings)
			task_id = task_id_of(parent, settings);
	}
#endif
	if (from) {
		entry.origin = from->origin;
	} else {
		if (!task_id && !current_wanted(&contid))
			return 0;
		entry.origin.tgid = parent->tgid;
		task_key_of(parent, &entry.origin.exe_dev, &entry.origin.exe_ino,
			    &entry.origin.start_ns);
	}
	if (task_id) {
		entry.has_task_id = 1;
		__builtin_memcpy(entry.task_id, task_id, sizeof(entry.task_id));
	}
	/* The child leads its group: its own start is the one the entry is valid for. */
	entry.start_ns = child->start_boottime;
	made = bpf_task_storage_get(&model_forks, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!made) {
		model_count(CANISTER_MODEL_OBS_ORIGINS_FULL);
		return 0;
	}
	*made = entry;
	return 0;
}

/*
 * An exec gives the process a TASK_ID of its own, which the gate gave it
 * (model_task_ids) by its new executable: nothing taken at the fork holds
 * from here on, also when it executed the same program again.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(origin_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	bpf_task_storage_delete(&model_forks, task);
	return 0;
}

#endif
