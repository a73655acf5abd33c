/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: an enforced domain's mprotect that
 * makes anonymous memory executable, judged in the LSM hook
 * (observe_deny.bpf.h), its CELL made from the hook's arguments
 * (kernel_cell_mprotect.h).  Without it, the denial of an anonymous
 * mmap(PROT_EXEC) is worth nothing: map RW (no event), write the code,
 * mprotect it R-X.  A file-backed mapping's is recorded only, as a
 * file-backed mmap_file is (docs/model.md, "mprotect adding PROT_EXEC").
 */
#ifndef CANISTER_MODEL_DENY_MPROTECT_BPF_H
#define CANISTER_MODEL_DENY_MPROTECT_BPF_H

/* After the kernel's types, which the coefficient's header takes from vmlinux.h here. */
#include "observe_deny.bpf.h"
/* clang-format off */
#include "../kernel_cell_mprotect.h"
/* clang-format on */

/*
 * Judges the current task's mprotect of a mapping (@anonymous: without a
 * file) to @reqprot, applied as @prot, into @v when its domain is
 * enforced; never a file-backed one, a host process's, or a learning or
 * sealed domain's.
 */
static __always_inline void deny_mprotect(bool anonymous, __u32 reqprot, __u32 prot,
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
	deny_judge(s, contid, CANISTER_MODEL_OBS_MPROTECT, cn_kc_cell_mprotect(s, 1, reqprot, prot),
		   v);
}

#endif
