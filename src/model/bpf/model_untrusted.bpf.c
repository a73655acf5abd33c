// SPDX-License-Identifier: GPL-2.0-only
/* canister: behaviour models: an untrusted process's mark, copied to each child before it runs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../untrusted_abi.h"

char LICENSE[] SEC("license") = "GPL";

/* Marks not copied for want of room; canisterd reads it. */
__u64 lost = 0;

/* canisterd writes a mark; the programs below copy and drop them.  Pinned: it outlives canisterd.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MODEL_MARKS_MAX);
	__type(key, __u32);
	__type(value, struct canister_model_mark);
} model_untrusted SEC(".maps");

/*
 * As identity's label: sched_process_fork fires after copy_process() and
 * before wake_up_new_task(), so the child is untrusted before its first
 * instruction, and a child of a child too.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(model_untrusted_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tgid = child->tgid, parent_tgid = parent->tgid;
	struct canister_model_mark *mark, copy;

	/* A new thread is its group's. */
	if (child->pid != child_tgid)
		return 0;
	mark = bpf_map_lookup_elem(&model_untrusted, &parent_tgid);
	if (!mark) {
		/* A recycled pid keeps no mark a dead process left. */
		bpf_map_delete_elem(&model_untrusted, &child_tgid);
		return 0;
	}
	copy = *mark;
	copy.from = parent_tgid;
	if (bpf_map_update_elem(&model_untrusted, &child_tgid, &copy, BPF_ANY))
		__sync_fetch_and_add(&lost, 1);
	return 0;
}

/* The group's last thread: its mark goes with it (a child keeps its own copy). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(model_untrusted_exit, struct task_struct *task)
{
	__u32 tgid = task->tgid;

	if (task->signal->live.counter != 0)
		return 0;
	bpf_map_delete_elem(&model_untrusted, &tgid);
	return 0;
}
