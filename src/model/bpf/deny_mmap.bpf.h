/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: an enforced domain's anonymous mmap
 * with PROT_EXEC judged in the LSM hook (observe_deny.bpf.h), its CELL made
 * from the hook's arguments (kernel_cell_mmap.h).  A file-backed mapping is
 * recorded only: its CELL holds the file's content digest, which the hook
 * cannot compute (docs/model.md, "mmap with PROT_EXEC in the kernel").
 */
#ifndef CANISTER_MODEL_DENY_MMAP_BPF_H
#define CANISTER_MODEL_DENY_MMAP_BPF_H

/* After the kernel's types, which the coefficient's header takes from vmlinux.h here. */
#include "observe_deny.bpf.h"
/* clang-format off */
#include "../kernel_cell_mmap.h"
/* clang-format on */

/*
 * Judges the current task's mapping (@anonymous: anonymous memory,
 * exec_memory.bpf.h) asked as @reqprot, applied as @prot, with @flags into
 * @v, when its domain is enforced; never a file-backed one, a host
 * process's, or a learning or sealed domain's.
 */
static __always_inline void deny_mmap(bool anonymous, __u32 reqprot, __u32 prot, __u32 flags,
				      struct deny_verdict *v)
{
	struct canister_model_kc_scratch *s = NULL;
	__u64 contid = 0;

	if (!anonymous || !enforced(&contid, &s))
		return;
	if (!s) {
		v->denied = 1; /* no memory for the hash: the model cannot vouch */
		return;
	}
	deny_judge(s, contid, CANISTER_MODEL_OBS_MMAP,
		   cn_kc_cell_mmap_anonymous(s, reqprot, prot, flags), v);
}

#endif
