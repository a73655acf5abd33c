/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: the TASK_IDs canisterd gave a process
 * (model_task_ids) kept across an exec by a thread other than its leader.
 */
#ifndef CANISTER_MODEL_DENY_THREAD_EXEC_BPF_H
#define CANISTER_MODEL_DENY_THREAD_EXEC_BPF_H

#include "observe_deny.bpf.h"
#include <bpf/bpf_tracing.h>

/*
 * canisterd writes the TASK_ID of the program about to run while the gate
 * holds the exec's open, through a pidfd: into the thread group leader's
 * storage.  When another thread executes, the kernel makes that thread the
 * leader (de_thread(), in the binary loader, after this hook) and frees the
 * old leader with its storage, so the new program would run with no TASK_ID
 * and an enforced domain's first judged events would be denied.  The
 * executing thread takes a copy first.  bprm_check_security runs after the
 * gate held the program's open and again after each interpreter's, so the
 * copy holds what canisterd wrote for both.  Only the leader's storage is
 * ever read (task_id_of()): the copy of an exec that fails before de_thread()
 * is never read and goes with its thread.  When the kernel has no memory for
 * the copy, the program runs without it, as before: its judged events are
 * denied until canisterd derives its TASK_ID (docs/model.md, "Limits").
 */
SEC("lsm/bprm_check_security")
int BPF_PROG(bprm_set_creds_thread_lsm, struct linux_binprm *bprm, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct canister_model_obs_task_ids *given, *heir;

	if (ret || task->pid == task->tgid)
		return ret;
	given = bpf_task_storage_get(&model_task_ids, task->group_leader, 0, 0);
	if (!given)
		return 0;
	heir = bpf_task_storage_get(&model_task_ids, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (heir)
		*heir = *given;
	return 0;
}

#endif
