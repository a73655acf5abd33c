// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode: a labelled process signals only its own container's processes (grants aside).
 */
#include "isolation_grants.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_ISOLATION_REPORTS_BYTES);
} isolation_reports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_ISOLATION_COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} isolation_counts SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&isolation_counts, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/*
 * Every signal a process sends through kill(2), tkill, tgkill, rt_sigqueueinfo,
 * pidfd_send_signal or a fcntl(F_SETOWN) owner passes here (the kernel's own
 * SIGCHLD and SIGPIPE do not).  Signal 0 included: it tells whether another
 * container's pid exists, which is already more than isolation lets a
 * container learn.  @cred is set only for a USB asynchronous I/O completion,
 * sent on behalf of the process that submitted it, not by current: left to
 * the kernel's own check.
 */
SEC("lsm/task_kill")
int BPF_PROG(canister_isolation_kill, struct task_struct *target, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_isolation_report *report;
	struct canister_label *label;
	__u64 target_contid;
	__u32 uid, target_uid;

	if (ret || cred || BPF_CORE_READ(target, tgid) == tgid)
		return ret;
	label = task_label(task, tgid);
	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	uid = isolation_euid(task);
	if (isolation_allows(label->contid, uid, target, &target_contid, &target_uid))
		return 0;
	count(CANISTER_ISOLATION_DENIED);
	report = bpf_ringbuf_reserve(&isolation_reports, sizeof(*report), 0);
	if (!report) {
		count(CANISTER_ISOLATION_LOST);
		return -EPERM;
	}
	report->contid = label->contid;
	report->target_contid = target_contid;
	report->tgid = tgid;
	report->target_tgid = BPF_CORE_READ(target, tgid);
	report->uid = uid;
	report->target_uid = target_uid;
	report->op = CANISTER_ISOLATION_OP_SIGNAL;
	report->sig = (__u16)sig;
	report->pad = 0;
	bpf_ringbuf_submit(report, 0);
	return -EPERM;
}
