/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: the process a /proc file belongs to, for the hooks that judge
 * writes to another process's /proc files (identity's guard: canisterd's;
 * access's isolation: another container's).
 */
#ifndef CANISTER_PROC_TASK_BPF_H
#define CANISTER_PROC_TASK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

#define PROC_SUPER_MAGIC 0x9fa0

/* The task whose /proc/PID or /proc/PID/task/TID directory @pi is in, or 0. */
static __always_inline struct task_struct *proc_inode_task(struct proc_inode *pi)
{
	struct hlist_node *first;
	struct pid *pid;

	pid = BPF_CORE_READ(pi, pid);
	if (!pid)
		return 0;
	first = BPF_CORE_READ(pid, tasks[PIDTYPE_PID].first);
	if (!first)
		return 0;
	return (void *)first - bpf_core_field_offset(struct task_struct, pid_links);
}

/* The task of procfs inode @inode's /proc/PID directory, or 0 (not a process's file). */
static __always_inline struct task_struct *proc_file_task(struct inode *inode)
{
	return proc_inode_task((void *)inode - bpf_core_field_offset(struct proc_inode, vfs_inode));
}

#endif
