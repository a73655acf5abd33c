// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode only; refuses labelled processes signals and ptrace against canisterd. */
#include "guard_deny.bpf.h"
#include "maps.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by canisterd before load. */
const volatile __u32 canisterd_tgid;

SEC("lsm/task_kill")
int BPF_PROG(canister_guard_task_kill, struct task_struct *target, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret)
		return ret;
	/* sig 0 only probes for existence; it changes nothing. */
	if (sig == 0 || target->tgid != canisterd_tgid)
		return 0;
	label = current_label(&tgid);
	if (!label)
		return 0;
	return deny(tgid, canisterd_tgid, CANISTER_GUARD_TASK_KILL, label->contid);
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(canister_guard_ptrace, struct task_struct *child, unsigned int mode, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret)
		return ret;
	if (child->tgid != canisterd_tgid)
		return 0;
	label = current_label(&tgid);
	if (!label)
		return 0;
	/* /proc asks quietly to decide what to show (ps, top): refused, not recorded. */
	if (mode & PTRACE_MODE_NOAUDIT)
		return -EPERM;
	return deny(tgid, canisterd_tgid, CANISTER_GUARD_PTRACE, label->contid);
}
