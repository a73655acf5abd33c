/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: a 64-bit process's 32-bit system calls (`int $0x80`, x86's ia32
 * emulation), as the BPF programs that read the raw sys_enter tracepoint
 * tell them from native ones (access's isolation recorder, the model's
 * trace-mode observers) and as canisterd names them.  Plain defines: the
 * BPF objects and userspace include it alike.
 *
 * The tp/syscalls/sys_enter_* tracepoints never fire for a compat call
 * (ARCH_TRACE_IGNORE_COMPAT_SYSCALLS), and raw sys_enter gives i386's
 * number with i386's argument registers (%ebx, %ecx, %edx): read as
 * x86_64's, i386's getgid32 (200) is x86_64's tkill.  TS_COMPAT in the
 * thread's status marks a 32-bit system call in progress.
 */
#ifndef CANISTER_LIB_SYSCALL32_H
#define CANISTER_LIB_SYSCALL32_H

#define TS_COMPAT 0x0002

/* Whether @task (a struct task_struct *, the current one) is in a 32-bit system call. */
#define TASK_IN_COMPAT_SYSCALL(task) (((task)->thread_info.status & TS_COMPAT) != 0)

/* i386's numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define NR32_MOUNT 21
#define NR32_SETUID 23 /* the 16-bit ids' */
#define NR32_PTRACE 26
#define NR32_KILL 37
#define NR32_SETGID 46
#define NR32_SETREUID 70
#define NR32_SETREGID 71
#define NR32_OLD_MMAP 90 /* its arguments in a struct in user memory */
#define NR32_SETPRIORITY 97
#define NR32_SOCKETCALL 102 /* every socket call: its arguments in user memory */
#define NR32_IPC 117	    /* SysV IPC's multiplexer, shmat among them */
#define NR32_MPROTECT 125
#define NR32_SETFSUID 138
#define NR32_SETFSGID 139
#define NR32_SCHED_SETPARAM 154
#define NR32_SCHED_SETSCHEDULER 156
#define NR32_SETRESUID 164
#define NR32_SETRESGID 170
#define NR32_RT_SIGQUEUEINFO 178
#define NR32_MMAP2 192 /* its offset in pages */
#define NR32_SETREUID32 203
#define NR32_SETREGID32 204
#define NR32_SETRESUID32 208
#define NR32_SETRESGID32 210
#define NR32_SETUID32 213
#define NR32_SETGID32 214
#define NR32_SETFSUID32 215
#define NR32_SETFSGID32 216
#define NR32_TKILL 238
#define NR32_SCHED_SETAFFINITY 241
#define NR32_TGKILL 270
#define NR32_IOPRIO_SET 289
#define NR32_MIGRATE_PAGES 294
#define NR32_MOVE_PAGES 317
#define NR32_RT_TGSIGQUEUEINFO 335
#define NR32_PRLIMIT64 340
#define NR32_SENDMMSG 345
#define NR32_PROCESS_VM_READV 347
#define NR32_PROCESS_VM_WRITEV 348
#define NR32_SCHED_SETATTR 351
#define NR32_SOCKET 359
#define NR32_BIND 361
#define NR32_CONNECT 362
#define NR32_LISTEN 363
#define NR32_ACCEPT4 364
#define NR32_SENDTO 369
#define NR32_SENDMSG 370
#define NR32_PKEY_MPROTECT 380
#define NR32_SHMAT 397
#define NR32_PIDFD_SEND_SIGNAL 424
#define NR32_MOVE_MOUNT 429

/*
 * socketcall's sub-calls (%ebx; include/uapi/linux/net.h's SYS_*), those
 * whose native call the model's trace-mode observers record.  The others
 * (getsockname, socketpair, send, recv, shutdown, the sockopts, recvmsg,
 * ...) make no event natively and make none through socketcall.
 */
#define SOCKETCALL32_SOCKET 1
#define SOCKETCALL32_BIND 2
#define SOCKETCALL32_CONNECT 3
#define SOCKETCALL32_LISTEN 4
#define SOCKETCALL32_ACCEPT 5
#define SOCKETCALL32_SENDTO 11
#define SOCKETCALL32_SENDMSG 16
#define SOCKETCALL32_ACCEPT4 18
#define SOCKETCALL32_SENDMMSG 20

/*
 * ipc's sub-call (%ebx's low 16 bits; include/uapi/linux/ipc.h): only
 * shmat is an event natively.  %ebx's high 16 bits are a version, and
 * version 1 of shmat is refused in a 32-bit call (compat_ksys_ipc()).
 */
#define IPC32_SHMAT 21
#define IPC32_CALL_MASK 0xffff
#define IPC32_VERSION_SHIFT 16
#define IPC32_SHMAT_REFUSED_VERSION 1

/*
 * The 32-bit calls the model's trace-mode observers record when native
 * (observe_trace.bpf.c) and cannot decode when not: each one's number, its
 * i386 name, and the event its native call would be (event.h's CANISTER_MODEL_ suffix).
 * X(nr, name, event) for each; the kill family is not here: the model's
 * signal_generate program decodes a 32-bit kill as it does a native one.
 * The socket calls are in SYSCALL32_SOCKET_CALLS; the multiplexers
 * socketcall (102) and ipc (117) are not here either: their sub-calls are
 * (SYSCALL32_SOCKET_CALLS, SYSCALL32_SOCKETCALL_ONLY_CALLS,
 * SYSCALL32_IPC_CALLS).
 */
#define SYSCALL32_MODEL_CALLS(X)                   \
	X(NR32_PTRACE, ptrace, PTRACE)             \
	X(NR32_SETUID, setuid, SETUID)             \
	X(NR32_SETREUID, setreuid, SETUID)         \
	X(NR32_SETRESUID, setresuid, SETUID)       \
	X(NR32_SETFSUID, setfsuid, SETUID)         \
	X(NR32_SETUID32, setuid32, SETUID)         \
	X(NR32_SETREUID32, setreuid32, SETUID)     \
	X(NR32_SETRESUID32, setresuid32, SETUID)   \
	X(NR32_SETFSUID32, setfsuid32, SETUID)     \
	X(NR32_SETGID, setgid, SETGID)             \
	X(NR32_SETREGID, setregid, SETGID)         \
	X(NR32_SETRESGID, setresgid, SETGID)       \
	X(NR32_SETFSGID, setfsgid, SETGID)         \
	X(NR32_SETGID32, setgid32, SETGID)         \
	X(NR32_SETREGID32, setregid32, SETGID)     \
	X(NR32_SETRESGID32, setresgid32, SETGID)   \
	X(NR32_SETFSGID32, setfsgid32, SETGID)     \
	X(NR32_MOUNT, mount, MOUNT)                \
	X(NR32_MOVE_MOUNT, move_mount, MOVE_MOUNT) \
	X(NR32_OLD_MMAP, mmap, MMAP_FILE)          \
	X(NR32_MMAP2, mmap2, MMAP_FILE)            \
	X(NR32_SHMAT, shmat, MMAP_FILE)            \
	X(NR32_MPROTECT, mprotect, FILE_MPROTECT)  \
	X(NR32_PKEY_MPROTECT, pkey_mprotect, FILE_MPROTECT)

/*
 * The socket calls the observers record, X(nr, sub, name, event): i386's
 * own number and socketcall's sub-call for the same call, and the event
 * its native call makes (observe_trace.bpf.c: socket_create_enter,
 * socket_bind_enter, socket_connect_enter, socket_listen_enter, both
 * socket_accept_enter programs; observe_dgram_trace.bpf.h: a datagram sent
 * to an address is the socket_connect it amounts to).  i386 has no accept
 * of its own: socketcall's alone, X(sub, name, event).
 */
#define SYSCALL32_SOCKET_CALLS(X)                                      \
	X(NR32_SOCKET, SOCKETCALL32_SOCKET, socket, SOCKET_CREATE)     \
	X(NR32_BIND, SOCKETCALL32_BIND, bind, SOCKET_BIND)             \
	X(NR32_CONNECT, SOCKETCALL32_CONNECT, connect, SOCKET_CONNECT) \
	X(NR32_LISTEN, SOCKETCALL32_LISTEN, listen, SOCKET_LISTEN)     \
	X(NR32_ACCEPT4, SOCKETCALL32_ACCEPT4, accept4, SOCKET_ACCEPT)  \
	X(NR32_SENDTO, SOCKETCALL32_SENDTO, sendto, SOCKET_CONNECT)    \
	X(NR32_SENDMSG, SOCKETCALL32_SENDMSG, sendmsg, SOCKET_CONNECT) \
	X(NR32_SENDMMSG, SOCKETCALL32_SENDMMSG, sendmmsg, SOCKET_CONNECT)
#define SYSCALL32_SOCKETCALL_ONLY_CALLS(X) X(SOCKETCALL32_ACCEPT, accept, SOCKET_ACCEPT)

/* ipc's sub-calls, as socketcall's: shmat's, mmap_file (observe_shmat_trace.bpf.h). */
#define SYSCALL32_IPC_CALLS(X) X(IPC32_SHMAT, shmat, MMAP_FILE)

#endif
