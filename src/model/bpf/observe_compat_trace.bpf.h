/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, trace mode: the 32-bit system calls (int $0x80)
 * of a wanted container's processes whose native calls the observers
 * record.  Those observers attach to tp/syscalls/sys_enter_*, which x86
 * never fires for a compat call (ARCH_TRACE_IGNORE_COMPAT_SYSCALLS): without
 * this, a process that made its socket(), mprotect(PROT_EXEC) or setuid()
 * by int $0x80 was never seen.  Their arguments are not decoded (socketcall
 * and ipc carry theirs in user memory, old mmap in a struct): the record
 * names the call only, and canisterd judges it as an event it cannot place.
 * Registers are read only where they tell that a call is no event (a ptrace
 * that attaches nothing, an mprotect or mmap2 without PROT_EXEC), as the
 * native observers decide.
 */
#ifndef CANISTER_MODEL_OBSERVE_COMPAT_TRACE_BPF_H
#define CANISTER_MODEL_OBSERVE_COMPAT_TRACE_BPF_H

#include "../../lib/syscall32.h"
#include "exec_memory.bpf.h"
#include "observe.bpf.h"
#include <bpf/bpf_tracing.h>

/* A process's 32-bit call recorded once: its thread group (tgid and start) and the number. */
struct compat_seen_key {
	__u64 start_ns;
	__u32 tgid;
	__u32 nr;
};

/*
 * LRU: a forgotten entry costs one more record of the same call (the
 * budget bounds them); a process's entries are never looked up again once
 * it ends.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct compat_seen_key);
	__type(value, __u8);
} model_compat_seen SEC(".maps");

#define COMPAT_CASE(nr, name, event) case nr:

/* Whether i386's call @id is one SYSCALL32_MODEL_CALLS names and, by its registers, an event. */
static __always_inline bool compat_event(struct pt_regs *regs, long id)
{
	long request;
	__u32 prot;

	switch (id) {
		SYSCALL32_MODEL_CALLS(COMPAT_CASE)
		break;
	default:
		return false;
	}
	if (id == NR32_PTRACE) {
		request = (__s32)BPF_CORE_READ(regs, bx);
		return request == CN_PTRACE_ATTACH || request == CN_PTRACE_SEIZE;
	}
	if (id == NR32_MPROTECT || id == NR32_PKEY_MPROTECT || id == NR32_MMAP2) {
		/* %edx: the protection, the third argument of each. */
		prot = (__u32)BPF_CORE_READ(regs, dx);
		return (prot & CN_PROT_EXEC) || ((prot & CN_PROT_READ) && read_implies_exec());
	}
	return true;
}

/*
 * Every system call of the host enters here; a native one leaves at the
 * first test, a 32-bit one of a host process at the labels' lookup.  The
 * budget (observe.bpf.h) bounds a container's records as any observer's.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(compat_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct canister_model_obs_compat_call *record;
	struct canister_model_obs_wanted *wanted;
	struct compat_seen_key key = {};
	__u64 contid, exe_dev, exe_ino;
	__u8 one = 1;

	if (!TASK_IN_COMPAT_SYSCALL(task) || !compat_event(regs, id) || !current_wanted(&contid))
		return 0;
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	key.nr = (__u32)id;
	task_key_of(task, &exe_dev, &exe_ino, &key.start_ns);
	if (bpf_map_lookup_elem(&model_compat_seen, &key))
		return 0;
	record = reserve(CANISTER_MODEL_OBS_COMPAT_CALL, struct canister_model_obs_compat_call,
			 &wanted);
	if (!record)
		return 0;
	record->nr = (__u32)id;
	record->pad = 0;
	/* Seen once it is sent: a record the budget dropped is tried again at the next call. */
	bpf_map_update_elem(&model_compat_seen, &key, &one, BPF_ANY);
	record_submit(record, wanted);
	return 0;
}

#endif
