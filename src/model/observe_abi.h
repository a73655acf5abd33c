/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister behaviour models: the observers' ring records and maps, shared by BPF and userspace. */
#ifndef CANISTER_MODEL_OBSERVE_ABI_H
#define CANISTER_MODEL_OBSERVE_ABI_H

#ifdef __bpf__
/* vmlinux.h gives the __u types */
#else
#include <linux/types.h>
#endif

/*
 * The record kinds: one per event the observers see (not exec and file_open:
 * the gate's, but for the exec the gate never sees, lsm mode's denial).
 */
enum canister_model_obs_kind {
	CANISTER_MODEL_OBS_KILL = 1,
	CANISTER_MODEL_OBS_PTRACE = 2,
	CANISTER_MODEL_OBS_SOCKET_CREATE = 3,
	CANISTER_MODEL_OBS_SOCKET_BIND = 4,
	CANISTER_MODEL_OBS_SOCKET_CONNECT = 5,
	CANISTER_MODEL_OBS_SOCKET_LISTEN = 6,
	CANISTER_MODEL_OBS_SOCKET_ACCEPT = 7,
	CANISTER_MODEL_OBS_CAPABLE = 8,
	CANISTER_MODEL_OBS_SETUID = 9,
	CANISTER_MODEL_OBS_SETGID = 10,
	CANISTER_MODEL_OBS_MOUNT = 11,
	CANISTER_MODEL_OBS_MMAP = 12,
	CANISTER_MODEL_OBS_EXEC_UNSEEN = 13,
	CANISTER_MODEL_OBS_MOVE_MOUNT = 14,
	CANISTER_MODEL_OBS_MPROTECT = 15,
	CANISTER_MODEL_OBS_COMPAT_CALL = 16,
	CANISTER_MODEL_OBS_KINDS,
};

/* The acting task's credentials, ids as the initial user namespace sees them. */
struct canister_model_obs_coe {
	__u32 uid, euid, suid, gid, egid, sgid, fsuid, fsgid;
	__u64 capeff;
};
_Static_assert(sizeof(struct canister_model_obs_coe) == 40, "canister_model_obs_coe is ABI");

/* A task as the TASK_ID table knows it: thread group, start (as @start_ns below), executable. */
struct canister_model_obs_task {
	__u32 tgid;
	__u32 pad;
	__u64 start_ns, exe_dev, exe_ino;
};
_Static_assert(sizeof(struct canister_model_obs_task) == 32, "canister_model_obs_task is ABI");

/* Every record starts with this; @size is the whole record's (the decoder checks it). */
struct canister_model_obs_head {
	__u32 kind;
	__u32 size;
	__u64 contid; /* the acting process's container */
	__u64 ktime_ns;
	__u32 tgid; /* the acting thread group (init pid namespace) */
	__u32 tid;
	struct canister_model_obs_coe coe;
	char comm[16];
	/* The acting process's executable (s_dev as the kernel numbers it, inode): its TASK_ID's */
	__u64 exe_dev, exe_ino;
	/*
	 * When the acting thread group started: its leader's start_boottime
	 * (ns since boot, suspend included), the clock of /proc/PID/stat's
	 * field 22.  With @tgid and the executable it names the task whose
	 * TASK_ID canisterd remembered at its exec, also once it has ended.
	 */
	__u64 start_ns;
	/*
	 * A process forked from another and not executed since runs its
	 * parent's program with its parent's TASK_ID (TSEM's task_alloc
	 * copies it): @origin names, as above, the task whose exec set the
	 * TASK_ID the actor runs with (its nearest ancestor along the forks
	 * that executed, or was running when the observers started), kept
	 * from each fork in the model_forks task storage.  @origin_tgid 0: none
	 * (the actor executed since its fork, or forked before the observers
	 * ran); the actor's own key then names it.
	 */
	struct canister_model_obs_task origin;
	/*
	 * lsm mode, an enforced domain's event of a kind the kernel judges
	 * (CANISTER_MODEL_OBS_KEYED): @keyed 1 when the kernel computed the
	 * event's coefficient (its first 8 bytes in @kernel_coefficient, for
	 * canisterd to check against its own); @denied 1 when the hook
	 * returned -EPERM (the coefficient is not in the model, or the kernel
	 * could not compute it).  All 0 otherwise.
	 */
	__u32 keyed, denied;
	__u8 kernel_coefficient[8];
};
_Static_assert(sizeof(struct canister_model_obs_head) == 160, "canister_model_obs_head is ABI");

/*
 * task_kill: a signal a process sent (kill, tkill, tgkill, sigqueue), with
 * its target, named as the head names the actor (a target that ends at
 * once keeps its TASK_ID).
 */
struct canister_model_obs_kill {
	struct canister_model_obs_head head;
	__u64 target_contid; /* CANISTER_CONTID_UNSET when the target is unlabelled */
	__u32 target_tgid;
	__u32 signal;
	__u32 target_labelled; /* 1: the target has a label (then @target_contid is its) */
	__u32 pad;
	__u64 target_start_ns;			      /* as the head's @start_ns */
	__u64 target_exe_dev, target_exe_ino;	      /* as the head's @exe_dev, @exe_ino */
	struct canister_model_obs_task target_origin; /* as the head's @origin */
};
_Static_assert(sizeof(struct canister_model_obs_kill) == 240, "canister_model_obs_kill is ABI");

/*
 * ptrace_access_check.  lsm mode: @target_tgid is the tracee's (init pid
 * namespace), @pid_level 0.  trace mode: the pid as the caller named it,
 * in the caller's pid namespace, whose depth is @pid_level (0: initial).
 */
struct canister_model_obs_ptrace {
	struct canister_model_obs_head head;
	__u32 target_tgid;
	__u32 mode; /* PTRACE_MODE_* */
	__u32 pid_level;
	__u32 pad;
};
_Static_assert(sizeof(struct canister_model_obs_ptrace) == 176, "canister_model_obs_ptrace is ABI");

/* The largest socket address a record carries (struct sockaddr_storage). */
#define CANISTER_MODEL_OBS_ADDR_MAX 128

/*
 * socket_create, _bind, _connect, _listen, _accept.  @addr holds the
 * address as a struct sockaddr (@addr_len bytes of it): the caller's for
 * bind and connect, the listening socket's local one for accept.
 */
struct canister_model_obs_socket {
	struct canister_model_obs_head head;
	__u32 family; /* socket_create, _listen: the socket's; else unused (the address has it) */
	__u32 type;
	__u32 protocol;
	__u32 kern;
	__u32 backlog;
	__u32 addr_len;
	__u8 addr[CANISTER_MODEL_OBS_ADDR_MAX];
};
_Static_assert(sizeof(struct canister_model_obs_socket) == 312, "canister_model_obs_socket is ABI");

struct canister_model_obs_capable {
	struct canister_model_obs_head head;
	__u32 cap;
	__u32 opts; /* CAP_OPT_*; trace mode cannot see them: always 0 there */
};
_Static_assert(sizeof(struct canister_model_obs_capable) == 168,
	       "canister_model_obs_capable is ABI");

/* task_fix_setuid, task_fix_setgid: the new ids; the COE is the credentials before. */
struct canister_model_obs_setid {
	struct canister_model_obs_head head;
	__u32 id, eid, sid, fsid;
	__u32 flags; /* LSM_SETID_* */
	__u32 pad;
};
_Static_assert(sizeof(struct canister_model_obs_setid) == 184, "canister_model_obs_setid is ABI");

/* The longest string a mount record carries, with its NUL. */
#define CANISTER_MODEL_OBS_STR_MAX 256
#define CANISTER_MODEL_OBS_PATH_MAX 1024

/*
 * sb_mount: the strings as mount(2)'s caller gave them; each length is the
 * bytes before the NUL, CANISTER_MODEL_OBS_STR_TOOLONG when the string did
 * not fit (the decoder refuses the record: a cut path would be hashed as
 * another path), CANISTER_MODEL_OBS_STR_ABSENT for a NULL pointer.
 */
#define CANISTER_MODEL_OBS_STR_TOOLONG 0xfffffffeu
#define CANISTER_MODEL_OBS_STR_ABSENT 0xffffffffu
struct canister_model_obs_mount {
	struct canister_model_obs_head head;
	__u64 flags; /* MS_* */
	__u32 dev_len, path_len, type_len;
	__u32 pad;
	char dev[CANISTER_MODEL_OBS_STR_MAX];
	char type[CANISTER_MODEL_OBS_STR_MAX];
	char path[CANISTER_MODEL_OBS_PATH_MAX];
};
_Static_assert(sizeof(struct canister_model_obs_mount) == 1720, "canister_model_obs_mount is ABI");

/* The longest filesystem type name a move_mount record carries, with its NUL. */
#define CANISTER_MODEL_OBS_FSTYPE_MAX 64

/*
 * move_mount (the new mount API's attach: open_tree() or fsmount(), then
 * move_mount()): the source mount's filesystem, named as the kernel has
 * it (its superblock's type name) and whether the source mount's root is
 * its filesystem's root (@whole 1: a new filesystem's mount, a clone of a
 * filesystem's root; 0: a bind of a subtree).  @fstype_len is the bytes
 * before the NUL, CANISTER_MODEL_OBS_STR_TOOLONG when the name did not fit,
 * CANISTER_MODEL_OBS_STR_ABSENT when the source was not named (trace mode:
 * a source named by a path, not by a descriptor; @whole is 0 then).
 */
struct canister_model_obs_move_mount {
	struct canister_model_obs_head head;
	__u32 whole;
	__u32 fstype_len;
	char fstype[CANISTER_MODEL_OBS_FSTYPE_MAX];
};
_Static_assert(sizeof(struct canister_model_obs_move_mount) == 232,
	       "canister_model_obs_move_mount is ABI");

/*
 * mmap_file: an mmap whose applied protection @prot has PROT_EXEC; @reqprot
 * is the one the caller asked for (@prot adds PROT_EXEC to it under the
 * READ_IMPLIES_EXEC personality).  @anonymous: anonymous memory (no file,
 * or one on the kernel's internal shmem or hugetlbfs mount: a memfd, SysV
 * shm).  Otherwise the file is named by its inode (@dev is the kernel's
 * s_dev, major << 20 | minor) and, in trace mode, by the caller's
 * descriptor @fd (-1 in lsm mode and for anonymous memory): userspace
 * resolves the path and the content digest, which no BPF program here can
 * compute.
 */
struct canister_model_obs_mmap {
	struct canister_model_obs_head head;
	__u32 anonymous;
	__s32 fd;
	__u32 reqprot, prot, flags;
	__u32 pad;
	__u64 dev, ino;
	__u32 uid, gid, mode, s_magic;
	__u8 s_uuid[16];
};
_Static_assert(sizeof(struct canister_model_obs_mmap) == 232, "canister_model_obs_mmap is ABI");

/*
 * lsm mode, an enforced domain: an exec the file gate never sees (a file on
 * a kernel-internal mount: a memfd), denied by bprm_check_security.  The
 * file is named by its inode and its dentry's name (@name_len bytes before
 * the NUL; a memfd's is "memfd:NAME"), all userspace can learn of a file no
 * process runs.  Always denied: @head.denied is 1.
 */
struct canister_model_obs_exec_unseen {
	struct canister_model_obs_head head;
	__u64 dev, ino;
	__u32 name_len;
	__u32 pad;
	char name[CANISTER_MODEL_OBS_STR_MAX];
};
_Static_assert(sizeof(struct canister_model_obs_exec_unseen) == 440,
	       "canister_model_obs_exec_unseen is ABI");

/*
 * file_mprotect: an mprotect (or pkey_mprotect) whose new protection has
 * PROT_EXEC.  @reqprot is the protection the caller asked for (without
 * PROT_GROWSDOWN and PROT_GROWSUP, as the kernel passes it to the hook),
 * @prot the one applied (with the PROT_EXEC READ_IMPLIES_EXEC adds), and
 * @anonymous whether the mapping is anonymous memory (no file, or one on
 * the kernel's internal shmem or hugetlbfs mount: shared anonymous memory;
 * lsm mode: the hook's VMA; trace mode: the VMA holding the call's start
 * address).
 */
struct canister_model_obs_mprotect {
	struct canister_model_obs_head head;
	__u32 anonymous;
	__u32 reqprot, prot;
	__u32 pad;
};
_Static_assert(sizeof(struct canister_model_obs_mprotect) == 176,
	       "canister_model_obs_mprotect is ABI");

/*
 * Trace mode: a 32-bit system call (int $0x80) of a 64-bit or 32-bit
 * process, whose native call an observer records (lib/syscall32.h,
 * SYSCALL32_MODEL_CALLS and SYSCALL32_SOCKET_CALLS, and socketcall's and
 * ipc's sub-calls named there): the tracepoints those observers use never see
 * a 32-bit call, and its arguments (socketcall's and ipc's in user memory)
 * are not decoded.  @nr is i386's number; @sub the sub-call of socketcall
 * (102) or ipc (117), from %ebx, 0 for every other call.  canisterd cannot
 * place it in a model: an event without a coefficient.  Once per process,
 * call and sub-call while the container's mode stays
 * (canister_model_obs_compat_seen).
 */
struct canister_model_obs_compat_call {
	struct canister_model_obs_head head;
	__u32 nr;
	__u32 sub;
};
_Static_assert(sizeof(struct canister_model_obs_compat_call) == 168,
	       "canister_model_obs_compat_call is ABI");

/*
 * Key of model_compat_seen (trace mode): a 32-bit call @nr (@sub) recorded
 * for the process @tgid that started at @start_ns, of container @contid,
 * running the executable @exe_dev/@exe_ino (a program it executes next is
 * another: its calls are recorded for it, not hidden behind the first's).
 * canisterd deletes a container's keys when its domain's mode changes
 * (canister_model_observers_compat_forget()): a call recorded while it
 * learned is recorded again once it is sealed.
 */
struct canister_model_obs_compat_seen {
	__u64 contid;
	__u64 start_ns;
	__u64 exe_dev;
	__u64 exe_ino;
	__u32 tgid;
	__u32 nr;
	__u32 sub;
	__u32 pad;
};
_Static_assert(sizeof(struct canister_model_obs_compat_seen) == 48,
	       "canister_model_obs_compat_seen is ABI");
#define CANISTER_MODEL_OBS_COMPAT_SEEN_MAX 4096

/*
 * Value of the wanted map (key: contid).  The per-container budget is a
 * GCRA: @tat is the theoretical arrival time of the next record
 * (observe_budget.h).  Counters are the container's own.
 */
struct canister_model_obs_wanted {
	__u64 tat;
	__u64 emitted;
	__u64 over_budget; /* dropped: the container spent its budget */
	__u64 ring_full;   /* dropped: the ring buffer had no room */
};
_Static_assert(sizeof(struct canister_model_obs_wanted) == 32, "canister_model_obs_wanted is ABI");

/*
 * Value of the model_forks task storage (both variants; on the thread group
 * leader): what a process forked from another, and not executed since,
 * took from its parent before it first ran (observe_origin.bpf.h): the task
 * whose exec set the TASK_ID it runs with (@origin), and in lsm mode that
 * TASK_ID itself (@has_task_id 1) when the parent had one in the kernel.
 * Valid while the process is the one it was made for (its leader's
 * start_boottime is @start_ns) and runs @origin's executable; an exec
 * deletes it.
 */
struct canister_model_obs_fork {
	struct canister_model_obs_task origin;
	__u64 start_ns;
	__u32 has_task_id;
	__u32 pad;
	__u8 task_id[32];
};
_Static_assert(sizeof(struct canister_model_obs_fork) == 80, "canister_model_obs_fork is ABI");

/* Slots of the global counters array. */
enum canister_model_obs_count {
	CANISTER_MODEL_OBS_EMITTED = 0,
	CANISTER_MODEL_OBS_OVER_BUDGET = 1,
	CANISTER_MODEL_OBS_RING_FULL = 2,
	/* setid or mount calls not followed to their exit (the map refused the entry) */
	CANISTER_MODEL_OBS_STASH_FULL = 3,
	/* forks whose model_forks entry the kernel had no memory for */
	CANISTER_MODEL_OBS_ORIGINS_FULL = 4,
	CANISTER_MODEL_OBS_COUNT_MAX,
};

#define CANISTER_MODEL_OBS_WANTED_MAX 4096

/*
 * What the lsm observers deny in an enforced domain (docs/model.md, "Denied
 * in the kernel").  canisterd fills these maps; the identity guard keeps
 * every labelled process from them.
 */

/* model_deny_settings (one entry): H(EVENT_ID) of each type, and the clock of start times. */
struct canister_model_obs_deny_settings {
	__u8 event_digest[16][32]; /* H(EVENT_ID) by record kind (observe_deny.c) */
	__u64 ns_per_tick;	   /* 10^9 / sysconf(_SC_CLK_TCK): /proc/PID/stat's unit */
};
_Static_assert(sizeof(struct canister_model_obs_deny_settings) == 520,
	       "canister_model_obs_deny_settings is ABI");

/*
 * Value of the model_task_ids task storage (lsm mode; on the thread group
 * leader, which canisterd names by a pidfd): the TASK_IDs canisterd gave
 * the process, each for the executable it was made for (@exe_dev as the
 * kernel numbers s_dev) and the process's start (its leader's, in clock
 * ticks, /proc/PID/stat's field 22).  Two: the one of the exec the gate
 * holds (for the program about to run) beside the one of the program
 * running now, so that neither write undoes the other.  A slot whose
 * executable or start is not the task's is a miss.
 */
struct canister_model_obs_task_id_slot {
	__u64 start_ticks;
	__u64 exe_dev, exe_ino;
	__u8 task_id[32];
};
_Static_assert(sizeof(struct canister_model_obs_task_id_slot) == 56,
	       "canister_model_obs_task_id_slot is ABI");

#define CANISTER_MODEL_OBS_TASK_ID_SLOTS 2
struct canister_model_obs_task_ids {
	struct canister_model_obs_task_id_slot slot[CANISTER_MODEL_OBS_TASK_ID_SLOTS];
	__u32 last; /* the slot written last: the other one goes next */
	__u32 pad;
};
_Static_assert(sizeof(struct canister_model_obs_task_ids) == 120,
	       "canister_model_obs_task_ids is ABI");

/* model_allowed key: a coefficient of an enforced domain's model; the value is unused (1). */
struct canister_model_obs_allowed_key {
	__u64 contid;
	__u8 coefficient[32];
};
_Static_assert(sizeof(struct canister_model_obs_allowed_key) == 40,
	       "canister_model_obs_allowed_key is ABI");

#define CANISTER_MODEL_OBS_ALLOWED_MAX 262144
#define CANISTER_MODEL_OBS_RING_BYTES (1 << 20)

#endif
