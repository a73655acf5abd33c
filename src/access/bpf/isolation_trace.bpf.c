// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: trace mode: no BPF LSM, so nothing of cross-container isolation
 * is denied; the signals and ptrace attaches of labelled processes that lsm
 * mode would refuse are seen at the syscall's entry and reported, recorded
 * only.
 */
#include "../../lib/syscall32.h"
#include "isolation_reports.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by canisterd before load. */
const volatile __u32 canisterd_tgid;

/* x86_64's numbers. */
#define NR_PTRACE 101
#define NR_KILL 62
#define NR_TKILL 200
#define NR_TGKILL 234
#define NR_RT_SIGQUEUEINFO 129
#define NR_RT_TGSIGQUEUEINFO 297
#define NR_PROCESS_VM_READV 310
#define NR_PROCESS_VM_WRITEV 311
#define NR_SETPRIORITY 141
#define NR_SCHED_SETPARAM 142
#define NR_SCHED_SETSCHEDULER 144
#define NR_SCHED_SETAFFINITY 203
#define NR_IOPRIO_SET 251
#define NR_MIGRATE_PAGES 256
#define NR_MOVE_PAGES 279
#define NR_PRLIMIT64 302
#define NR_SCHED_SETATTR 314

#define PTRACE_ATTACH 16
#define PTRACE_SEIZE 0x4206
#define PRIO_PROCESS 0
#define IOPRIO_WHO_PROCESS 1

/* The task a pid names in the caller's pid namespace (6.10); NULL where the kernel lacks it. */
extern struct task_struct *bpf_task_from_vpid(s32 vpid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym;

/*
 * Reports @op (@sig: a signal's number, a control's kind) by the current labelled process on the
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
 * name(regs, id): judges system call @id if it is one of those that name
 * another process by pid, by one ABI's numbers (the NR prefix), argument
 * registers (A0, A1, A2) and width of a long (LONG: ptrace's request, as
 * the kernel reads it).  An argument is read only once the call is known:
 * every system call of the host comes through here.  The controls (lsm
 * mode's task_setrlimit, task_setnice, task_setioprio, task_setscheduler,
 * task_movememory) are recorded as such; prlimit only when it sets limits,
 * setpriority and ioprio_set only for one process (not a group or a user).
 */
#define RECORD_CALLS(name, NR, A0, A1, A2, LONG)                                                \
	static __always_inline void name(struct pt_regs *regs, long id)                         \
	{                                                                                       \
		if (id == NR##KILL || id == NR##TKILL || id == NR##RT_SIGQUEUEINFO) {           \
			judge((__s32)BPF_CORE_READ(regs, A0), CANISTER_ISOLATION_OP_SIGNAL,     \
			      (__u16)BPF_CORE_READ(regs, A1));                                  \
		} else if (id == NR##TGKILL || id == NR##RT_TGSIGQUEUEINFO) {                   \
			judge((__s32)BPF_CORE_READ(regs, A1), CANISTER_ISOLATION_OP_SIGNAL,     \
			      (__u16)BPF_CORE_READ(regs, A2));                                  \
		} else if (id == NR##PTRACE) {                                                  \
			long request = (LONG)BPF_CORE_READ(regs, A0);                           \
                                                                                                \
			if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)                \
				judge((__s32)BPF_CORE_READ(regs, A1),                           \
				      CANISTER_ISOLATION_OP_PTRACE, 0);                         \
		} else if (id == NR##PROCESS_VM_READV || id == NR##PROCESS_VM_WRITEV) {         \
			judge((__s32)BPF_CORE_READ(regs, A0), CANISTER_ISOLATION_OP_PTRACE, 0); \
		} else if (id == NR##PRLIMIT64) {                                               \
			if (BPF_CORE_READ(regs, A2))                                            \
				judge((__s32)BPF_CORE_READ(regs, A0),                           \
				      CANISTER_ISOLATION_OP_CONTROL,                            \
				      CANISTER_ISOLATION_CONTROL_RLIMIT);                       \
		} else if (id == NR##SETPRIORITY) {                                             \
			if ((__s32)BPF_CORE_READ(regs, A0) == PRIO_PROCESS)                     \
				judge((__s32)BPF_CORE_READ(regs, A1),                           \
				      CANISTER_ISOLATION_OP_CONTROL,                            \
				      CANISTER_ISOLATION_CONTROL_NICE);                         \
		} else if (id == NR##IOPRIO_SET) {                                              \
			if ((__s32)BPF_CORE_READ(regs, A0) == IOPRIO_WHO_PROCESS)               \
				judge((__s32)BPF_CORE_READ(regs, A1),                           \
				      CANISTER_ISOLATION_OP_CONTROL,                            \
				      CANISTER_ISOLATION_CONTROL_IOPRIO);                       \
		} else if (id == NR##SCHED_SETPARAM || id == NR##SCHED_SETSCHEDULER ||          \
			   id == NR##SCHED_SETAFFINITY || id == NR##SCHED_SETATTR) {            \
			judge((__s32)BPF_CORE_READ(regs, A0), CANISTER_ISOLATION_OP_CONTROL,    \
			      CANISTER_ISOLATION_CONTROL_SCHEDULER);                            \
		} else if (id == NR##MIGRATE_PAGES || id == NR##MOVE_PAGES) {                   \
			judge((__s32)BPF_CORE_READ(regs, A0), CANISTER_ISOLATION_OP_CONTROL,    \
			      CANISTER_ISOLATION_CONTROL_MEMORY);                               \
		}                                                                               \
	}

/* x86_64: %rdi, %rsi, %rdx.  i386 (int $0x80): %ebx, %ecx, %edx. */
RECORD_CALLS(native_call, NR_, di, si, dx, long)
RECORD_CALLS(compat_call, NR32_, bx, cx, dx, __s32)

/*
 * Every syscall enters here: the ones that name another process by pid are
 * judged, the rest leave at the first comparison.  kill() of a process group
 * (pid 0 or negative), pidfd_send_signal and F_SETOWN owners name no single
 * pid and are not recorded.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(canister_isolation_trace, struct pt_regs *regs, long id)
{
	struct task_struct *current = bpf_get_current_task_btf();

	/* i386's numbers and registers (syscall32.h): ia32's kill (37) must not go unrecorded. */
	if (TASK_IN_COMPAT_SYSCALL(current))
		compat_call(regs, id);
	else
		native_call(regs, id);
	return 0;
}
