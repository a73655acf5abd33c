// SPDX-License-Identifier: GPL-2.0-only
/* canister: keeps the contid of every thread group, inherited at fork and removed at exit. */
#include "maps.bpf.h"
#include "no_room.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * Counts a fork of a process that canisterd is registering.  @inflight is
 * raised before the parent's label is read and lowered after the fork is
 * counted, so canisterd, which waits for it to be zero after writing the
 * label, never misses a fork that read the old label.
 */
static __always_inline struct canister_watch *watch_begin(__u32 parent_tgid)
{
	struct canister_watch *watched = bpf_map_lookup_elem(&watch, &parent_tgid);

	if (watched)
		__sync_fetch_and_add(&watched->inflight, 1);
	return watched;
}

static __always_inline void watch_end(struct canister_watch *watched,
				      const struct canister_label *copied)
{
	if (!watched)
		return;
	if (!copied || copied->contid != watched->contid)
		__sync_fetch_and_add(&watched->missed_forks, 1);
	__sync_fetch_and_add(&watched->inflight, -1);
}

/*
 * The slot lsm/task_alloc (fork_room.bpf.c, lsm mode) took for @child, now
 * the fork tracepoint's to use or give back; false in trace mode.
 */
static __always_inline bool take_reservation(struct task_struct *child)
{
	struct canister_fork_room *room = bpf_task_storage_get(&fork_room, child, 0, 0);

	if (!room || !room->reserved)
		return false;
	room->reserved = 0;
	bpf_task_storage_delete(&fork_room, child);
	return true;
}

/*
 * sched_process_fork fires in kernel_clone() after copy_process() and before
 * wake_up_new_task(): the child cannot run, let alone fork, before it carries
 * its label.  The label comes from the creator (current), which is what the
 * tracepoint calls the parent even under CLONE_PARENT.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(canister_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tgid = child->tgid;
	__u32 parent_tgid = parent->tgid;
	struct canister_label *parent_label, label;
	struct canister_watch *watched;
	bool reserved;

	/* A new thread shares its group's entry. */
	if (child->pid != child_tgid)
		return 0;

	reserved = take_reservation(child);
	watched = watch_begin(parent_tgid);
	parent_label = bpf_map_lookup_elem(&labels, &parent_tgid);
	if (!parent_label) {
		/*
		 * A recycled pid must not keep a label that a dead process left behind
		 * (for example one registered while it was exiting).
		 */
		labels_remove(child_tgid);
		if (reserved)
			room_release();
		watch_end(watched, NULL);
		return 0;
	}

	label = *parent_label;
	/*
	 * In lsm mode task_alloc took the slot, or refused the fork; in trace
	 * mode a full map leaves the child unlabelled, and canisterd records it.
	 */
	if (labels_add(child_tgid, &label, reserved)) {
		watch_end(watched, NULL);
		stat_inc(CANISTER_STAT_INHERIT_FAILED);
		emit_no_room(CANISTER_EV_INHERIT_FAILED, child_tgid, parent_tgid, label.contid);
		return 0;
	}
	census_add(label.contid, 1);
	watch_end(watched, &label);
	stat_inc(CANISTER_STAT_INHERITED);
	emit(CANISTER_EV_FORK, child_tgid, parent_tgid, 0, label.contid);
	return 0;
}

/*
 * do_exit() decrements signal->live before this tracepoint, so the thread that
 * sees zero is the last of its group.  Two threads exiting together may both
 * see zero; only the one whose delete succeeds reports the exit.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(canister_exit, struct task_struct *task)
{
	__u32 tgid = task->tgid;
	struct canister_label *label;
	__u64 contid;

	if (task->signal->live.counter != 0)
		return 0;

	label = bpf_map_lookup_elem(&labels, &tgid);
	if (!label)
		return 0;
	contid = label->contid;
	if (!labels_remove(tgid))
		return 0;
	census_add(contid, -1);
	stat_inc(CANISTER_STAT_CLEARED);
	emit(CANISTER_EV_EXIT, tgid, 0, 0, contid);
	return 0;
}

/*
 * An exec keeps the thread group and so its label; it is reported so that
 * what a container runs is attributed to it even when the process is gone by
 * the time anyone looks.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(canister_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = task->tgid;
	struct canister_label *label = bpf_map_lookup_elem(&labels, &tgid);

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	emit(CANISTER_EV_EXEC, tgid, 0, 0, label->contid);
	return 0;
}
