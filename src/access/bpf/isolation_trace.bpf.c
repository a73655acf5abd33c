// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: trace mode: no BPF LSM, so nothing of cross-container isolation
 * is denied; the signals and ptrace attaches of labelled processes that lsm
 * mode would refuse are seen at the syscall's entry and reported, recorded
 * only.
 */
#include "isolation_reports.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by canisterd before load. */
const volatile __u32 canisterd_tgid;

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
 * One program at each syscall that names another process by pid, not one at
 * the raw sys_enter: that one ran for every system call of every process on
 * the host while a container lived (42 ns a call, docs/benchmarks.md, run
 * 11), to leave at once from all but these eight.  A syscall's own
 * tracepoint costs the others a bit test in the kernel's dispatch, which the
 * other tp/syscalls programs (identity's setns, access's bind) already pay.
 * Like the raw tracepoint's x86_64 numbers before, they see native system
 * calls only: a 32-bit task's are not reported to syscall tracepoints.
 * kill() of a process group (pid 0 or negative), pidfd_send_signal and
 * F_SETOWN owners name no single pid and are not recorded.
 */
#define RECORD_SIGNAL(call, pid_arg, sig_arg)                                  \
	SEC("tp/syscalls/sys_enter_" #call)                                    \
	int canister_isolation_##call(struct trace_event_raw_sys_enter *ctx)   \
	{                                                                      \
		judge((__s32)ctx->args[pid_arg], CANISTER_ISOLATION_OP_SIGNAL, \
		      (__u16)ctx->args[sig_arg]);                              \
		return 0;                                                      \
	}

/* The target pid's argument and the signal's; tgkill(tgid, tid, sig) names the thread. */
RECORD_SIGNAL(kill, 0, 1)
RECORD_SIGNAL(tkill, 0, 1)
RECORD_SIGNAL(rt_sigqueueinfo, 0, 1)
RECORD_SIGNAL(tgkill, 1, 2)
RECORD_SIGNAL(rt_tgsigqueueinfo, 1, 2)

/* process_vm_readv/writev(pid, ...): another process's memory, as a ptrace attach would. */
#define RECORD_VM(call)                                                      \
	SEC("tp/syscalls/sys_enter_process_" #call)                          \
	int canister_isolation_##call(struct trace_event_raw_sys_enter *ctx) \
	{                                                                    \
		judge((__s32)ctx->args[0], CANISTER_ISOLATION_OP_PTRACE, 0); \
		return 0;                                                    \
	}

RECORD_VM(vm_readv)
RECORD_VM(vm_writev)

/* ptrace(request, pid, ...): an attach or a seize. */
SEC("tp/syscalls/sys_enter_ptrace")
int canister_isolation_ptrace(struct trace_event_raw_sys_enter *ctx)
{
	long request = (long)ctx->args[0];

	if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
		judge((__s32)ctx->args[1], CANISTER_ISOLATION_OP_PTRACE, 0);
	return 0;
}
