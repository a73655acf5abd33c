/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: lsm mode: a workload whose chain holds, at some level, a policy
 * handling any file right (execute, read, write, create, remove) may not
 * change its mount topology, as under Landlock: its rules are bound to the
 * inodes and paths there were when the policy loaded, and a mount, unmount,
 * bind, move or pivot_root would put other files at those paths (or a
 * filesystem without the marks).  Included by access_lsm.bpf.c, after
 * fs_report()'s definition.
 *
 * Every topology change of 6.1's fs/namespace.c passes one of these hooks:
 * mount(2) in all its forms (new, bind, remount, MS_MOVE, propagation
 * changes: path_mount()'s security_sb_mount() comes before any of them),
 * umount2(2), move_mount(2) (which attaches what fsmount() or open_tree()
 * made: those make detached mounts, and nothing reaches the tree without
 * move_mount) and pivot_root(2).  mount_setattr(2) and fspick()'s
 * reconfiguration run no LSM hook on 6.1 (docs/access.md).
 */
#ifndef CANISTER_ACCESS_MOUNT_BPF_H
#define CANISTER_ACCESS_MOUNT_BPF_H

/*
 * Pinned: a restart of canisterd keeps who is a workload.  Task storage of
 * thread groups' leaders only (an exec makes the executing thread the
 * leader before the exec tracepoint).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_access_lsm_workload);
} access_workload SEC(".maps");

/*
 * A labelled thread group executed a program: from here on it is the
 * workload, not the runtime's init (which mounts and pivots into the
 * rootfs after the OCI hook labelled it, and executes the configured
 * process last).
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(canister_access_workload_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct canister_access_lsm_workload *mark;
	struct canister_label *label = task_label(task, task->tgid);

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	mark = bpf_task_storage_get(&access_workload, task->group_leader, 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (mark)
		mark->executed = 1;
	return 0;
}

/*
 * A workload's child is one too, whatever it executes: called before the
 * child can run, with the creator as @parent (also under CLONE_PARENT).  A
 * new thread shares its leader's storage.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(canister_access_workload_fork, struct task_struct *parent, struct task_struct *child)
{
	struct canister_access_lsm_workload *mark;

	if (child->pid != child->tgid)
		return 0;
	mark = bpf_task_storage_get(&access_workload, parent->group_leader, 0, 0);
	if (!mark || !mark->executed)
		return 0;
	mark = bpf_task_storage_get(&access_workload, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (mark)
		mark->executed = 1;
	return 0;
}

/*
 * The current process's decision on changing the topology at @dentry in
 * @mnt (what the record names) by @op (CANISTER_ACCESS_LSM_OP_*): 0, or
 * -EPERM when a level of its chain that handles a file right enforces;
 * every refusal counted and reported.  A process that never executed a
 * program in its container is the runtime's init: let through.
 */
static __noinline int mount_decide(struct vfsmount *mnt, struct dentry *dentry, __u32 op)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = task_label(task, tgid);
	struct canister_access_lsm_workload *mark;
	bool enforce;
	__u64 by;

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	mark = bpf_task_storage_get(&access_workload, task->group_leader, 0, 0);
	if (!mark || !mark->executed)
		return 0;
	if (!refusing_level(label->contid, CANISTER_ACCESS_LSM_MOUNT, op, NULL, &by, &enforce))
		return 0;
	fs_report(&(struct canister_access_lsm_report){ .contid = label->contid,
							.by = by,
							.tgid = tgid,
							.right = CANISTER_ACCESS_LSM_MOUNT,
							.object = op,
							.denied = enforce },
		  BPF_CORE_READ(dentry, d_inode, i_ino), mnt, dentry);
	return enforce ? -EPERM : 0;
}

/* Every mount(2): a new filesystem, a bind, a remount, MS_MOVE, a propagation change; @path the
 * target. */
SEC("lsm/sb_mount")
int BPF_PROG(canister_access_sb_mount, const char *dev_name, const struct path *path,
	     const char *type, unsigned long flags, void *data, int ret)
{
	if (ret)
		return ret;
	return mount_decide(BPF_CORE_READ(path, mnt), BPF_CORE_READ(path, dentry),
			    CANISTER_ACCESS_LSM_OP_MOUNT);
}

/* The record names the mount point of the mount that goes. */
SEC("lsm/sb_umount")
int BPF_PROG(canister_access_sb_umount, struct vfsmount *mnt, int flags, int ret)
{
	if (ret)
		return ret;
	return mount_decide(mnt, BPF_CORE_READ(mnt, mnt_root), CANISTER_ACCESS_LSM_OP_UMOUNT);
}

/* The new mount API's attach (and a move of an attached mount); @to_path the target. */
SEC("lsm/move_mount")
int BPF_PROG(canister_access_move_mount, const struct path *from_path, const struct path *to_path,
	     int ret)
{
	if (ret)
		return ret;
	return mount_decide(BPF_CORE_READ(to_path, mnt), BPF_CORE_READ(to_path, dentry),
			    CANISTER_ACCESS_LSM_OP_MOVE_MOUNT);
}

/* The new root is named. */
SEC("lsm/sb_pivotroot")
int BPF_PROG(canister_access_sb_pivotroot, const struct path *old_path, const struct path *new_path,
	     int ret)
{
	if (ret)
		return ret;
	return mount_decide(BPF_CORE_READ(new_path, mnt), BPF_CORE_READ(new_path, dentry),
			    CANISTER_ACCESS_LSM_OP_PIVOT_ROOT);
}

#endif
