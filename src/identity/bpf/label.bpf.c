// SPDX-License-Identifier: GPL-2.0-only
/* canister: keeps the contid of every thread group, inherited at fork and removed at exit. */
#include "maps.bpf.h"
#include "mount_flags.bpf.h"
#include "no_room.bpf.h"
#include "pending.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * Test switch, set by canisterd from CANISTERD_TEST_INHERIT_FAILURE=N
 * (programs.c): every Nth insertion of a forked child's label fails with
 * -ENOMEM, as when the non-preallocated labels map cannot allocate the
 * element, so that tests reach what follows (a pending label in lsm mode,
 * an unlabelled child in trace mode); no memory limit made Debian's 6.1
 * refuse an element.  0, off: .rodata is frozen at load, so the verifier
 * knows the value and removes the branch.
 */
const volatile __u32 inject_inherit_failure_every;
/* Insertions seen while the switch is on. */
__u32 inject_inherit_attempts;

/*
 * labels_add() for a forked child.  The injected failure stands for the
 * labels map's own: labels_add() gives back a slot it reserved itself when
 * the update fails and leaves a dead process's entry in place, and so
 * returning before it does leaves everything as that failure would.
 */
static __always_inline int inherit_add(__u32 tgid, const struct canister_label *label,
				       bool reserved)
{
	__u32 every = inject_inherit_failure_every;

	if (every && __sync_fetch_and_add(&inject_inherit_attempts, 1) % every == every - 1)
		return -12; /* ENOMEM */
	return labels_add(tgid, label, reserved);
}

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
 * The storage lsm/task_alloc (fork_room.bpf.c, lsm mode) made for @child
 * with a slot, now the fork tracepoint's to use, keep or give back; NULL in
 * trace mode.
 */
static __always_inline struct canister_fork_room *take_reservation(struct task_struct *child)
{
	struct canister_fork_room *room = bpf_task_storage_get(&fork_room, child, 0, 0);

	if (!room || !room->reserved)
		return NULL;
	room->reserved = 0;
	return room;
}

/*
 * lsm mode: the labels map could not take @child's label, although its slot
 * was reserved: the slot and the label stay in its storage @room, where
 * every lookup of its label finds them, and it counts as a container process.
 */
static __always_inline void keep_pending(struct canister_fork_room *room,
					 const struct canister_label *label)
{
	room->label = *label;
	room->pending = 1;
	census_add(label->contid, 1);
	stat_inc(CANISTER_STAT_INHERITED);
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
	struct canister_fork_room *room, *parent_room;
	struct canister_watch *watched;
	int err;

	/* A new thread shares its group's entry. */
	if (child->pid != child_tgid)
		return 0;

	room = take_reservation(child);
	watched = watch_begin(parent_tgid);
	parent_label = bpf_map_lookup_elem(&labels, &parent_tgid);
	if (!parent_label && (parent_room = pending_room(parent))) {
		parent_label = &parent_room->label;
		/* The parent's own label may fit now; it is copied below either way. */
		pending_retry(parent_room, parent_tgid);
	}
	if (!parent_label) {
		/*
		 * A recycled pid must not keep a label that a dead process left behind
		 * (for example one registered while it was exiting).
		 */
		labels_remove(child_tgid);
		err = 0;
		goto give_back;
	}

	label = *parent_label;
	/*
	 * In lsm mode task_alloc took the slot, or refused the fork; in trace
	 * mode a full map leaves the child unlabelled, and canisterd records it.
	 */
	err = inherit_add(child_tgid, &label, room != NULL);
	if (!err) {
		census_add(label.contid, 1);
		watch_end(watched, &label);
		stat_inc(CANISTER_STAT_INHERITED);
		emit(CANISTER_EV_FORK, child_tgid, parent_tgid, 0, label.contid);
		goto drop;
	}
	/* Neither may a dead process's label stay on the pid when the child's did not fit. */
	labels_remove(child_tgid);
	if (room) {
		keep_pending(room, &label);
		watch_end(watched, &label);
		emit_inherit_error(child_tgid, parent_tgid, label.contid, err, true);
		return 0;
	}
	stat_inc(CANISTER_STAT_INHERIT_FAILED);
	emit_inherit_error(child_tgid, parent_tgid, label.contid, err, false);
give_back:
	watch_end(watched, NULL);
	if (room)
		room_release();
drop:
	if (room)
		bpf_task_storage_delete(&fork_room, child);
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
	struct canister_fork_room *room;
	struct canister_label *label;
	__u64 contid;

	if (task->signal->live.counter != 0)
		return 0;

	label = bpf_map_lookup_elem(&labels, &tgid);
	if (label) {
		contid = label->contid;
		if (!labels_remove(tgid))
			return 0;
	} else {
		/* lsm mode: a label the labels map never took gives back its slot here. */
		room = pending_room(task);
		if (!room || !pending_claim(room))
			return 0;
		contid = room->label.contid;
		room_release();
	}
	census_add(contid, -1);
	stat_inc(CANISTER_STAT_CLEARED);
	emit(CANISTER_EV_EXIT, tgid, 0, 0, contid);
	return 0;
}

/*
 * An exec of a file the gate may not have seen (@how: abi.h's
 * CANISTER_EXEC_INTERNAL_MOUNT, CANISTER_EXEC_UNLINKED): canisterd records
 * it as an exec the gate never saw, also when the program ended before the
 * record was read (within microseconds: before, it looked in /proc and found
 * nothing).  The name says which memfd.
 */
static __always_inline void emit_exec_unseen(struct task_struct *task, struct linux_binprm *bprm,
					     __u32 tgid, __u64 contid, __u32 how)
{
	struct inode *inode = bprm->file->f_inode;
	struct canister_exec_event *event;
	const unsigned char *name;

	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		stat_inc(CANISTER_STAT_LOST);
		return;
	}
	event->head.type = CANISTER_EV_EXEC;
	event->head.tgid = tgid;
	event->head.other_tgid = 0;
	event->head.detail = how;
	event->head.contid = contid;
	event->head.ktime_ns = bpf_ktime_get_ns();
	event->start_ns = task->group_leader->start_boottime;
	event->exe_dev = inode->i_sb->s_dev;
	event->exe_ino = inode->i_ino;
	name = bprm->file->f_path.dentry->d_name.name;
	if (bpf_probe_read_kernel_str(event->name, sizeof(event->name), name) < 0)
		event->name[0] = '\0';
	/* Rare, and what it says is lost with the process's /proc: canisterd reads it at once. */
	bpf_ringbuf_submit(event, BPF_RB_FORCE_WAKEUP);
	stat_inc(CANISTER_STAT_EVENTS);
}

/*
 * An exec keeps the thread group and so its label; it is reported so that
 * what a container runs is attributed to it even when the process is gone by
 * the time anyone looks.  After an exec from another thread, @task is the
 * group's new leader, and holds the pending label (fork_room.bpf.c).
 * @bprm->file is the last file executed: a script's interpreter, not the
 * script (a memfd script is not told apart here; lsm mode denies it).
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(canister_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = task->tgid;
	struct canister_label *label = bpf_map_lookup_elem(&labels, &tgid);
	struct canister_fork_room *room;

	if (!label && (room = pending_room(task))) {
		label = &room->label;
		pending_retry(room, tgid);
	}
	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	if (bprm->file->f_path.mnt->mnt_flags & CN_MNT_INTERNAL)
		emit_exec_unseen(task, bprm, tgid, label->contid, CANISTER_EXEC_INTERNAL_MOUNT);
	else if (!bprm->file->f_inode->i_nlink)
		emit_exec_unseen(task, bprm, tgid, label->contid, CANISTER_EXEC_UNLINKED);
	else
		emit(CANISTER_EV_EXEC, tgid, 0, 0, label->contid);
	return 0;
}
