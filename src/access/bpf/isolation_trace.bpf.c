// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: trace mode: no BPF LSM, so nothing of cross-container isolation
 * is denied; the signals and ptrace attaches of labelled processes that lsm
 * mode would refuse are seen at the syscall's entry and reported, recorded
 * only.
 */
#include "isolation_reports.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by canisterd before load. */
const volatile __u32 canisterd_tgid;

/* x86_64's numbers: the raw sys_enter tracepoint gives the number, not the name. */
#define NR_PTRACE 101
#define NR_KILL 62
#define NR_TKILL 200
#define NR_TGKILL 234
#define NR_RT_SIGQUEUEINFO 129
#define NR_RT_TGSIGQUEUEINFO 297
#define NR_PROCESS_VM_READV 310
#define NR_PROCESS_VM_WRITEV 311

#define PTRACE_ATTACH 16
#define PTRACE_SEIZE 0x4206

/* The task a pid names in the caller's pid namespace (6.10); NULL where the kernel lacks it. */
extern struct task_struct *bpf_task_from_vpid(s32 vpid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym;

/*
 * Reports @op (@sig for a signal) by the current labelled process on the
 * process @vpid names, when lsm mode's isolation would refuse it: the same
 * decision (isolation_grants.bpf.h), the same exceptions (itself, canisterd
 * and its helpers, which are identity's guard's).
 */
static __always_inline void judge(__s32 vpid, __u16 op, __u16 sig)
{
	struct task_struct *current = bpf_get_current_task_btf(), *target;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, target_tgid, target_uid, uid;
	struct canister_isolation_report *report;
	struct canister_label *label;
	__u64 contid, target_contid;
	bool allowed;

	if (vpid <= 0 || !bpf_task_from_vpid)
		return;
	label = task_label(current, tgid);
	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return;
	contid = label->contid;
	uid = isolation_euid(current);
	target = bpf_task_from_vpid(vpid);
	if (!target)
		return;
	target_tgid = target->tgid;
	if (target_tgid == tgid ||
	    (canisterd_tgid &&
	     (target_tgid == canisterd_tgid || target->real_parent->tgid == canisterd_tgid))) {
		bpf_task_release(target);
		return;
	}
	allowed = isolation_allows(contid, uid, target, &target_contid, &target_uid);
	bpf_task_release(target);
	if (allowed)
		return;
	report = isolation_report(contid, tgid, uid, target_contid, target_tgid, target_uid, op,
				  true);
	if (!report)
		return;
	report->sig = sig;
	bpf_ringbuf_submit(report, 0);
}

/*
 * Every syscall enters here: the ones that name another process by pid are
 * judged, the rest leave at the first comparison.  kill() of a process group
 * (pid 0 or negative), pidfd_send_signal and F_SETOWN owners name no single
 * pid and are not recorded.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(canister_isolation_trace, struct pt_regs *regs, long id)
{
	switch (id) {
	case NR_KILL:
	case NR_TKILL:
	case NR_RT_SIGQUEUEINFO:
		judge((__s32)BPF_CORE_READ(regs, di), CANISTER_ISOLATION_OP_SIGNAL,
		      (__u16)BPF_CORE_READ(regs, si));
		break;
	case NR_TGKILL:
	case NR_RT_TGSIGQUEUEINFO:
		judge((__s32)BPF_CORE_READ(regs, si), CANISTER_ISOLATION_OP_SIGNAL,
		      (__u16)BPF_CORE_READ(regs, dx));
		break;
	case NR_PTRACE: {
		long request = BPF_CORE_READ(regs, di);

		if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
			judge((__s32)BPF_CORE_READ(regs, si), CANISTER_ISOLATION_OP_PTRACE, 0);
		break;
	}
	case NR_PROCESS_VM_READV:
	case NR_PROCESS_VM_WRITEV:
		judge((__s32)BPF_CORE_READ(regs, di), CANISTER_ISOLATION_OP_PTRACE, 0);
		break;
	}
	return 0;
}
