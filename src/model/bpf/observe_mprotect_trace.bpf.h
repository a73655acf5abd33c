/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, trace mode: an mprotect whose new protection
 * has PROT_EXEC (file_mprotect), from the mprotect and pkey_mprotect
 * tracepoints, which see only the start, the length and the protection:
 * the mapping is looked up as the kernel will (bpf_find_vma() on the
 * start), for whether its memory is anonymous (exec_memory.bpf.h) and
 * whether READ_IMPLIES_EXEC adds PROT_EXEC to it, so that the CELL is the
 * bytes lsm mode's hook hashes.  Recorded only.  Included by
 * observe_trace.bpf.c.
 */
#ifndef CANISTER_MODEL_OBSERVE_MPROTECT_TRACE_BPF_H
#define CANISTER_MODEL_OBSERVE_MPROTECT_TRACE_BPF_H

#include "exec_memory.bpf.h"
#include "observe.bpf.h"

/* include/uapi/asm-generic/mman-common.h, linux/mm.h */
#define CN_PROT_VALID 0xf /* read, write, exec, sem: arch_validate_prot() on x86 */
#define CN_PROT_GROWSDOWN 0x01000000
#define CN_PROT_GROWSUP 0x02000000
#define CN_VM_MAYEXEC 0x40
#define CN_PAGE_MASK_LOW 0xfff
#define CN_ENOENT 2

/*
 * What the kernel will read of the mapping at the call's start; @reqprot
 * is given (PROT_WRITE in it makes a private file mapping anonymous
 * memory: vma_memory_anonymous()).
 */
struct mprotect_vma {
	__u32 found, anonymous, mayexec, reqprot;
};

static long mprotect_vma_of(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct mprotect_vma *m = data;

	m->found = 1;
	m->anonymous = vma_memory_anonymous(vma, m->reqprot);
	m->mayexec = (BPF_CORE_READ(vma, vm_flags) & CN_VM_MAYEXEC) != 0;
	return 0;
}

/*
 * mprotect(@start, @len, @asked) as do_mprotect_pkey() will pass it to the
 * LSM hook: reqprot without the grows bits, prot with READ_IMPLIES_EXEC's
 * PROT_EXEC where the mapping may execute.  A call the kernel refuses
 * before the hook (bad protection or alignment, no length, no mapping at
 * @start) is no event; nor is one without PROT_EXEC, at once (JITs and
 * allocators call mprotect often).  Of a range over several mappings, the
 * first one's (lsm mode sees each).  A mapping the lookup could not take
 * the lock for is taken as anonymous (a record, never a decision, here).
 */
static __always_inline int mprotect_entered(__u64 start, __u64 len, __u64 asked)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mprotect *record;
	struct mprotect_vma vma;
	__u32 reqprot, prot;
	bool implies_exec;
	__u64 contid = 0;
	long e;

	reqprot = (__u32)(asked & ~(__u64)(CN_PROT_GROWSDOWN | CN_PROT_GROWSUP));
	implies_exec = (reqprot & CN_PROT_READ) && read_implies_exec();
	if (!(reqprot & CN_PROT_EXEC) && !implies_exec)
		return 0;
	if ((asked & CN_PROT_GROWSDOWN) && (asked & CN_PROT_GROWSUP))
		return 0;
	if ((reqprot & ~CN_PROT_VALID) || (start & CN_PAGE_MASK_LOW) || !len)
		return 0;
	if (!current_wanted(&contid))
		return 0;
	/* Field by field: an initialiser would be a constant in .rodata, the loader's budget. */
	vma.found = 0;
	vma.anonymous = 1;
	vma.mayexec = 1;
	vma.reqprot = reqprot;
	e = bpf_find_vma(task, start, mprotect_vma_of, &vma, 0);
	if (e == -CN_ENOENT)
		return 0;
	prot = reqprot;
	if (implies_exec && vma.mayexec)
		prot |= CN_PROT_EXEC;
	if (!(prot & CN_PROT_EXEC))
		return 0;
	record = reserve(CANISTER_MODEL_OBS_MPROTECT, struct canister_model_obs_mprotect, &wanted);
	if (!record)
		return 0;
	record->anonymous = vma.anonymous;
	record->reqprot = reqprot;
	record->prot = prot;
	record->pad = 0;
	record_submit(record, wanted);
	return 0;
}

SEC("tp/syscalls/sys_enter_mprotect")
int file_mprotect_enter(struct trace_event_raw_sys_enter *ctx)
{
	return mprotect_entered(ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_pkey_mprotect")
int file_mprotect_pkey_enter(struct trace_event_raw_sys_enter *ctx)
{
	return mprotect_entered(ctx->args[0], ctx->args[1], ctx->args[2]);
}

#endif
