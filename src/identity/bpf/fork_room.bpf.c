// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode only; refuses a labelled process a fork whose child the labels map cannot
 * hold. */
#include "maps.bpf.h"
#include "no_room.bpf.h"
#include "pending.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define ENOMEM 12
#define ENOSPC 28
#define CLONE_THREAD 0x00010000

/*
 * labels_room and fork_room are as much the labels' defence as the labels map
 * (a labelled process that could raise the capacity would fork unlabelled
 * children); guard_objects.bpf.c refuses them, like every canister map.
 */

/*
 * security_task_alloc() runs in copy_process() before the child has a pid, so
 * the label cannot be written here; the child's slot in the labels map is
 * taken instead (labels_room), and held in the child's task storage until the
 * fork tracepoint (label.bpf.c) writes the label into it, or keeps the label
 * here when the map cannot allocate the element (pending.bpf.h).  With no
 * slot or no storage the fork fails with ENOSPC before the child exists: a
 * labelled process never has an unlabelled child.  A new thread shares its
 * group's entry and needs none.
 */
SEC("lsm/task_alloc")
int BPF_PROG(canister_fork_room, struct task_struct *task, unsigned long clone_flags, int ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label;
	struct canister_fork_room *room;

	if (ret)
		return ret;
	if (clone_flags & CLONE_THREAD)
		return 0;
	label = task_label(bpf_get_current_task_btf(), tgid);
	if (!label)
		return 0;
	room = bpf_task_storage_get(&fork_room, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	/* While a restart attaches a second copy of this program, the child needs one slot. */
	if (room && room->reserved)
		return 0;
	if (!room || !room_reserve()) {
		stat_inc(CANISTER_STAT_FORK_REFUSED);
		emit_no_room(CANISTER_EV_FORK_REFUSED, tgid, 0, label->contid);
		return -ENOSPC;
	}
	room->reserved = 1;
	return 0;
}

/*
 * A fork that fails after task_alloc (a later LSM, no pid left, a cgroup
 * limit) never reaches the fork tracepoint: its slot is given back when the
 * kernel frees the child, which security_task_free() precedes on every path.
 * A pending label's slot is not: the group's exit gives it back, and after
 * an exec from another thread the old leader, freed then, holds a stale copy.
 */
SEC("lsm/task_free")
int BPF_PROG(canister_fork_room_free, struct task_struct *task)
{
	struct canister_fork_room *room = bpf_task_storage_get(&fork_room, task, 0, 0);

	if (room && room->reserved) {
		room->reserved = 0;
		room_release();
	}
	return 0;
}

/*
 * An exec from a thread other than the leader makes it the leader
 * (de_thread()) and frees the old one, whose storage holds the group's
 * pending label.  The thread gets a copy before the exec can get there; when
 * none can be made the exec fails, rather than leave the group unlabelled.
 * An exec that fails later leaves a copy that nothing reads (pending_room()
 * reads the leader's) and that owns no slot.
 */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(canister_pending_exec, struct linux_binprm *bprm, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct canister_fork_room *room, *heir;

	if (ret || task->pid == task->tgid)
		return ret;
	room = pending_room(task);
	if (!room)
		return 0;
	heir = bpf_task_storage_get(&fork_room, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!heir)
		return -ENOMEM;
	heir->label = room->label;
	heir->pending = 1;
	return 0;
}
