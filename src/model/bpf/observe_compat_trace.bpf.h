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
 * that attaches nothing, an mprotect or mmap2 without PROT_EXEC, a shmat
 * without SHM_EXEC), as the native observers decide, and to name the
 * multiplexers' sub-call (%ebx): socketcall's connect is its own record
 * and its native call's event, not one more socket_create, and of ipc's
 * only an executable shmat is an event.
 */
#ifndef CANISTER_MODEL_OBSERVE_COMPAT_TRACE_BPF_H
#define CANISTER_MODEL_OBSERVE_COMPAT_TRACE_BPF_H

#include "../../lib/syscall32.h"
#include "exec_memory.bpf.h"
#include "observe.bpf.h"
#include "observe_shmat_trace.bpf.h"
#include <bpf/bpf_tracing.h>

/*
 * LRU: a forgotten entry costs one more record of the same call (the
 * budget bounds them); a process's entries are never looked up again once
 * it ends.  canisterd deletes a container's at a change of its mode.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, CANISTER_MODEL_OBS_COMPAT_SEEN_MAX);
	__type(key, struct canister_model_obs_compat_seen);
	__type(value, __u8);
} model_compat_seen SEC(".maps");

#define COMPAT_CASE(nr, name, event) case nr:
#define COMPAT_SOCKET_CASE(nr, sub, name, event) case nr:
#define COMPAT_SOCKETCALL_CASE(nr, sub, name, event) case sub:

/* No sub-call: the call is none of those recorded. */
#define COMPAT_NONE (-1L)

/* Whether shmat's @shmflg maps executable memory: natively an event (observe_shmat_trace.bpf.h). */
static __always_inline bool compat_shmat_exec(__u32 shmflg)
{
	return (shmflg & CN_SHM_EXEC) || read_implies_exec();
}

/*
 * i386's socketcall's sub-call @call (%ebx), if its native call is an
 * event (SYSCALL32_SOCKET_CALLS, SYSCALL32_SOCKETCALL_ONLY_CALLS); else
 * COMPAT_NONE.
 */
static __always_inline long compat_socketcall(__u32 call)
{
	switch (call) {
		SYSCALL32_SOCKET_CALLS(COMPAT_SOCKETCALL_CASE)
		SYSCALL32_SOCKETCALL_ONLY_CALLS(COMPAT_CASE)
		return call;
	default:
		return COMPAT_NONE;
	}
}

/*
 * i386's ipc's sub-call (%ebx: the version above the call), if it is a
 * shmat that maps executable memory (%edx: its shmflg); else COMPAT_NONE.
 * semop, msgsnd and the rest are no event natively.
 */
static __always_inline long compat_ipc(__u32 call, __u32 shmflg)
{
	if ((call & IPC32_CALL_MASK) != IPC32_SHMAT ||
	    call >> IPC32_VERSION_SHIFT == IPC32_SHMAT_REFUSED_VERSION ||
	    !compat_shmat_exec(shmflg))
		return COMPAT_NONE;
	return IPC32_SHMAT;
}

/*
 * Whether i386's call @id is one lib/syscall32.h names and, by its
 * registers, an event: its sub-call (socketcall's, ipc's), 0 for another
 * call, COMPAT_NONE when it is no event.
 */
static __always_inline long compat_event(struct pt_regs *regs, long id)
{
	long request;
	__u32 prot;

	switch (id) {
	case NR32_SOCKETCALL:
		return compat_socketcall((__u32)BPF_CORE_READ(regs, bx));
	case NR32_IPC:
		return compat_ipc((__u32)BPF_CORE_READ(regs, bx), (__u32)BPF_CORE_READ(regs, dx));
		SYSCALL32_MODEL_CALLS(COMPAT_CASE)
		SYSCALL32_SOCKET_CALLS(COMPAT_SOCKET_CASE)
		break;
	default:
		return COMPAT_NONE;
	}
	if (id == NR32_PTRACE) {
		request = (__s32)BPF_CORE_READ(regs, bx);
		return request == CN_PTRACE_ATTACH || request == CN_PTRACE_SEIZE ? 0 : COMPAT_NONE;
	}
	if (id == NR32_MPROTECT || id == NR32_PKEY_MPROTECT || id == NR32_MMAP2) {
		/* %edx: the protection, the third argument of each. */
		prot = (__u32)BPF_CORE_READ(regs, dx);
		return (prot & CN_PROT_EXEC) || ((prot & CN_PROT_READ) && read_implies_exec())
			       ? 0
			       : COMPAT_NONE;
	}
	/*
	 * sendto(fd, buf, len, flags, addr, addrlen): as natively, one without
	 * an address (%edi; musl's i386 send(), glibc's built for 4.3+) is no
	 * connect.  socketcall's sendto keeps its address in user memory: still
	 * recorded, undecoded.
	 */
	if (id == NR32_SENDTO)
		return (__u32)BPF_CORE_READ(regs, di) ? 0 : COMPAT_NONE;
	/* shmat(shmid, shmaddr, shmflg): %edx, its flags. */
	if (id == NR32_SHMAT)
		return compat_shmat_exec((__u32)BPF_CORE_READ(regs, dx)) ? 0 : COMPAT_NONE;
	return 0;
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
	struct canister_model_obs_compat_seen key = {};
	struct canister_model_obs_compat_call *record;
	struct canister_model_obs_wanted *wanted;
	__u8 one = 1;
	long sub;

	if (!TASK_IN_COMPAT_SYSCALL(task))
		return 0;
	sub = compat_event(regs, id);
	if (sub == COMPAT_NONE || !current_wanted(&key.contid))
		return 0;
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	key.nr = (__u32)id;
	key.sub = (__u32)sub;
	task_key_of(task, &key.exe_dev, &key.exe_ino, &key.start_ns);
	if (bpf_map_lookup_elem(&model_compat_seen, &key))
		return 0;
	record = reserve(CANISTER_MODEL_OBS_COMPAT_CALL, struct canister_model_obs_compat_call,
			 &wanted);
	if (!record)
		return 0;
	record->nr = key.nr;
	record->sub = key.sub;
	/* Seen once it is sent: a record the budget dropped is tried again at the next call. */
	bpf_map_update_elem(&model_compat_seen, &key, &one, BPF_ANY);
	record_submit(record, wanted);
	return 0;
}

#endif
