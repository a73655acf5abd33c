/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the values and records that BPF programs and userspace exchange through maps. */
#ifndef CANISTER_ABI_H
#define CANISTER_ABI_H

/*
 * This header is compiled twice: by clang -target bpf (where vmlinux.h already
 * provides the __u32/__u64 types) and by gcc for userspace.  Everything here is
 * fixed-width, explicitly padded and pointer-free, and each size is frozen so
 * that a change to the layout breaks the build instead of the pinned maps.
 */
#ifndef __bpf__
#include <linux/types.h>
#endif

/* (u64)-1 means "no container"; it can never be registered. */
#define CANISTER_CONTID_UNSET ((__u64)-1)

/* Names under the pin directory; they are the maps' own names, so bpftool shows the same. */
#define CANISTER_MAP_LABELS "labels"
#define CANISTER_MAP_EVENTS "events"
#define CANISTER_MAP_STATS "stats"
#define CANISTER_MAP_CONTAINERS "containers"
#define CANISTER_MAP_CENSUS "census"
#define CANISTER_MAP_WATCH "watch"
#define CANISTER_MAP_NSJOIN "nsjoin"
/* contid -> the cgroup v2 id it was registered in (lsm mode's isolation of cgroup writes). */
#define CANISTER_MAP_CONTAINER_CGROUPS "container_cgroups"
#define CANISTER_LINKS_DIR "links"
/* lsm mode: what the object guard protects (struct canister_guarded keys). */
#define CANISTER_MAP_GUARDED "guarded"
/* The record of what canisterd pinned, checked at start (a symlink: bpffs holds no files). */
#define CANISTER_PIN_RECORD "pinned"

/*
 * The labels map's entries (labels_max): by default the host's kernel.pid_max,
 * so that every thread group the kernel can number fits; canisterd sets it
 * before load.  A full map refuses registration (ENOSPC), and in lsm mode the
 * fork of a labelled process whose child would not fit (ENOSPC).
 * PID_MAX_LIMIT bounds pid_max on 64-bit.
 */
#define CANISTER_LABELS_MAX_MIN 16
#define CANISTER_LABELS_MAX_MAX 4194304
#define CANISTER_MAP_LABELS_ROOM "labels_room"
#define CANISTER_MAP_FORK_ROOM "fork_room"
#define CANISTER_EVENTS_BYTES (256 * 1024)
/* canisterd drains routine records (fork, exec, exit) this often; see wakeup_flags(). */
#define CANISTER_EVENTS_DRAIN_MS 100
/* Upper bound of live containers. */
#define CANISTER_MAX_CONTAINERS 16384
/* Registrations in progress at once. */
#define CANISTER_MAX_WATCHED 64

/*
 * The one value of the labels_room array (BPF_F_MMAPABLE: canisterd updates
 * it with atomic instructions on its mapping, as BPF does).  @used counts the
 * labels map's entries plus the slots reserved for children being forked;
 * whoever adds an entry first raises it, and only while it stays within
 * @capacity, so an insert into the map never meets a full map.
 */
struct canister_labels_room {
	__u64 used;
	__u64 capacity; /* the labels map's max_entries, written by canisterd at start */
};
_Static_assert(sizeof(struct canister_labels_room) == 16, "canister_labels_room is ABI");

/* Value of the labels map, keyed by thread-group id (the kernel's tgid, init pid namespace). */
struct canister_label {
	__u64 contid;	  /* CANISTER_CONTID_UNSET for a delegated process outside containers */
	__u32 flags;	  /* reserved for later capabilities; always 0 today */
	__u32 delegation; /* 0, or the delegation this process inherited (may register) */
};
_Static_assert(sizeof(struct canister_label) == 16, "canister_label is ABI");

/*
 * Task storage (lsm mode) of a child being forked, kept by a thread group's
 * leader whose label the labels map could not take: the label is then
 * pending here, where every BPF lookup of a task's label also looks.
 */
struct canister_fork_room {
	__u32 reserved; /* 1 from task_alloc to the fork tracepoint: it holds a slot of labels_room
			 */
	__u32 pending;	/* 1: @label is the group's; its slot is held until the group exits */
	struct canister_label label;
};
_Static_assert(sizeof(struct canister_fork_room) == 24, "canister_fork_room is ABI");

/*
 * Value of the containers map, keyed by contid.  Only canisterd writes it; it
 * lives in a pinned map so that a restart keeps every container's name, parent
 * and owner.  The live process count is split between userspace and BPF,
 * because neither can add to a field the other writes: processes = registered
 * (here, canisterd) + the census map's delta (BPF, at fork and exit).
 */
#define CANISTER_NAME_BYTES 72 /* CANISTER_NAME_MAX (64) characters, a NUL, padding */
struct canister_container {
	__u64 parent;	  /* CANISTER_CONTID_UNSET for a top-level container */
	__s64 registered; /* processes added by canisterd (set, join), minus those moved out */
	__s64 created_ns; /* CLOCK_REALTIME of the registration */
	__u32 depth;	  /* 1 for a top-level container */
	__u32 owner;	  /* 0: the host; else the delegation of the orchestrator */
	__u32 first_tgid; /* the process it was registered with */
	__u32 flags;	  /* reserved; 0 */
	__u32 pid_ns;	  /* namespaces of the first process, for joins by setns */
	__u32 mnt_ns;
	char name[CANISTER_NAME_BYTES]; /* "" when the orchestrator gave none */
};
_Static_assert(sizeof(struct canister_container) == 120, "canister_container is ABI");

/* Value of the census map, keyed by contid: forks minus exits seen by BPF. */
struct canister_census {
	__s64 delta;
};

/*
 * Value of the watch map, keyed by the tgid being registered.  The fork hook
 * counts the forks of a watched process that did not copy the label being
 * registered; canisterd refuses the registration (EBUSY) when there were any,
 * so no child can slip out between its check for children and the label.
 */
struct canister_watch {
	__u64 contid;	    /* the contid being registered */
	__s64 inflight;	    /* forks between their label lookup and their count */
	__s64 missed_forks; /* forks that did not copy @contid */
};

/* Value of the nsjoin map, keyed by mount-namespace inode: containers entered by setns. */
struct canister_nsjoin {
	__u64 contid;
	__u32 pid_ns; /* the container's pid namespace; both must match */
	__u32 reserved;
};

/* Namespaces as /proc/PID/ns names them; indexes of canister_ns_event's arrays. */
enum canister_ns_index {
	CANISTER_NSI_MNT,
	CANISTER_NSI_UTS,
	CANISTER_NSI_IPC,
	CANISTER_NSI_PID,
	CANISTER_NSI_PID_FOR_CHILDREN,
	CANISTER_NSI_NET,
	CANISTER_NSI_USER,
	CANISTER_NSI_CGROUP,
	CANISTER_NSI_TIME,
	CANISTER_NSI_TIME_FOR_CHILDREN,
	CANISTER_NSI_COUNT,
};

/* How a process that enters a container's pid and mount namespaces is treated. */
enum canister_join_policy {
	CANISTER_JOIN_RECORD = 0, /* left unlabelled; the entry is recorded */
	CANISTER_JOIN_LABEL = 1,  /* labelled with that container's contid, and recorded */
};

enum canister_event_type {
	/* A labelled thread group created a new thread group, which inherited its label. */
	CANISTER_EV_FORK = 1,
	/* The last thread of a labelled thread group exited; its label is gone. */
	CANISTER_EV_EXIT = 2,
	/* A labelled thread group forked but its child could not be labelled (map full). */
	CANISTER_EV_INHERIT_FAILED = 3,
	/* lsm mode: a labelled process was refused access to canister itself. */
	CANISTER_EV_GUARD_DENIED = 4,
	/* A process entered a container's namespaces by setns (detail: 1 labelled, 0 not). */
	CANISTER_EV_JOIN = 5,
	/* A labelled process changed namespaces: a struct canister_ns_event. */
	CANISTER_EV_NS_CHANGE = 6,
	/*
	 * A labelled process executed a program (the pid is the thread
	 * group's; detail: 0, or CANISTER_EXEC_INTERNAL_MOUNT or
	 * CANISTER_EXEC_UNLINKED and the record a struct canister_exec_event).
	 */
	CANISTER_EV_EXEC = 7,
	/*
	 * lsm mode: refusals of one container by one guard_daemon hook beyond
	 * CANISTER_GUARD_RECORDS_PER_SECOND in a second, not recorded one by one
	 * (other_tgid: how many; detail: the hook).  Sent with the next refusal
	 * of the same container and hook after that second.
	 */
	CANISTER_EV_GUARD_FOLDED = 8,
	/* lsm mode: a labelled process's fork was refused (ENOSPC): no room for its child's label.
	 */
	CANISTER_EV_FORK_REFUSED = 9,
	/*
	 * A labelled thread group created a new one that the labels map could
	 * not take (ENOSPC: full; ENOMEM: no memory for the element; EBUSY),
	 * or a process entering a container by setns (other_tgid 0).  detail:
	 * the errno, CANISTER_INHERIT_PENDING, and the folded count of the
	 * second before (CANISTER_INHERIT_FOLDED_SHIFT); see the macros below.
	 * Replaces CANISTER_EV_INHERIT_FAILED, whose detail is the folded count
	 * only; canisterd still reads that from the programs of an older run.
	 */
	CANISTER_EV_INHERIT_ERROR = 10,
};

/*
 * detail of CANISTER_EV_INHERIT_ERROR.  Pending (lsm mode): the child was
 * not left unlabelled: its label is kept in its task storage (fork_room),
 * where the guards, its forks, exec and exit find it, until it exits or a
 * later attempt moves it into the labels map.  Else it runs unlabelled.
 */
#define CANISTER_INHERIT_ERRNO_MASK 0xfffu
#define CANISTER_INHERIT_PENDING 0x1000u
#define CANISTER_INHERIT_FOLDED_SHIFT 13
#define CANISTER_INHERIT_FOLDED_MAX ((1u << (32 - CANISTER_INHERIT_FOLDED_SHIFT)) - 1)

/* Refusals recorded one by one per container and guard_daemon hook each second. */
#define CANISTER_GUARD_RECORDS_PER_SECOND 16

/* One ring-buffer record. */
struct canister_event {
	__u32 type; /* enum canister_event_type */
	__u32 tgid;
	__u32 other_tgid; /* FORK: the parent; GUARD_DENIED: the target, or 0 */
	__u32 detail;	  /* GUARD_DENIED: enum canister_guard_hook */
	__u64 contid;
	__u64 ktime_ns; /* bpf_ktime_get_ns(), CLOCK_MONOTONIC */
};
_Static_assert(sizeof(struct canister_event) == 32, "canister_event is ABI");

/*
 * detail of CANISTER_EV_EXEC, which then is a struct canister_exec_event:
 * the executable was reached through a kernel-internal mount (MNT_INTERNAL:
 * a memfd's, SysV shm's), which no fanotify mark covers, so the file gate
 * never saw the exec; or it had no link left (O_TMPFILE, deleted while
 * open) on a mount a user can see.  The programs of an older run send 0
 * and the short record: canisterd then tells from /proc, while the process
 * runs.
 */
#define CANISTER_EXEC_INTERNAL_MOUNT 0x1u
#define CANISTER_EXEC_UNLINKED 0x2u

/* The executable's name a struct canister_exec_event holds, with its NUL (truncated). */
#define CANISTER_EXEC_NAME_MAX 64

/*
 * The record of CANISTER_EV_EXEC with CANISTER_EXEC_INTERNAL_MOUNT or
 * CANISTER_EXEC_UNLINKED: what canisterd needs of the exec after the
 * process ended, before it read this.
 */
struct canister_exec_event {
	struct canister_event head;
	__u64 start_ns;			   /* the process's start: its leader's start_boottime */
	__u64 exe_dev;			   /* the executable's s_dev (major << 20 | minor) */
	__u64 exe_ino;			   /* and inode number */
	char name[CANISTER_EXEC_NAME_MAX]; /* the executable's dentry name ("memfd:NAME") */
};
_Static_assert(sizeof(struct canister_exec_event) == 120, "canister_exec_event is ABI");

enum canister_ns_syscall {
	CANISTER_NS_SETNS = 1,
	CANISTER_NS_UNSHARE = 2,
};

/* The record of CANISTER_EV_NS_CHANGE; its first fields match struct canister_event. */
struct canister_ns_event {
	__u32 type; /* CANISTER_EV_NS_CHANGE */
	__u32 tgid;
	__u32 tid;
	__u32 syscall; /* enum canister_ns_syscall */
	__u64 contid;
	__u64 ktime_ns;
	__u32 old_ns[CANISTER_NSI_COUNT]; /* 0: the kernel lacks that namespace type */
	__u32 new_ns[CANISTER_NSI_COUNT];
};
_Static_assert(sizeof(struct canister_ns_event) == 112, "canister_ns_event is ABI");

enum canister_guard_hook {
	CANISTER_GUARD_BPF_MAP = 1,
	CANISTER_GUARD_TASK_KILL = 2,
	CANISTER_GUARD_PTRACE = 3,
	/* 4..19: canister's BPF objects, pins and bpffs, and kernel code (guard_objects.bpf.c). */
	/* 4: unused (program loads are CANISTER_GUARD_BPF_PROG_LOAD) */
	CANISTER_GUARD_BPF_ID = 5,	 /* bpf(BPF_{MAP,PROG,LINK}_GET_FD_BY_ID) of a guarded id */
	CANISTER_GUARD_BPF_PROG = 6,	 /* an fd to a guarded program, by any path */
	CANISTER_GUARD_PIN_ACCESS = 7,	 /* any permission on the pin directory and below */
	CANISTER_GUARD_PIN_UNLINK = 8,	 /* unlink or rmdir */
	CANISTER_GUARD_PIN_RENAME = 9,	 /* rename or exchange, from or onto */
	CANISTER_GUARD_PIN_CREATE = 10,	 /* create, mkdir, mknod, symlink, pin */
	CANISTER_GUARD_PIN_LINK = 11,	 /* a hard link */
	CANISTER_GUARD_PIN_SETATTR = 12, /* chmod, chown, utimes */
	CANISTER_GUARD_MOUNT = 13,	 /* mount(2), remount of the pins' bpffs */
	CANISTER_GUARD_MOVE_MOUNT = 14,	 /* move_mount(2) */
	CANISTER_GUARD_UMOUNT = 15,
	CANISTER_GUARD_PIVOT_ROOT = 16,
	CANISTER_GUARD_MODULE = 17,	   /* init_module, finit_module, delete_module */
	CANISTER_GUARD_KEXEC = 18,	   /* kexec_load, kexec_file_load */
	CANISTER_GUARD_KERNEL_POLICY = 19, /* a policy the kernel reads (IMA's) */
	/* 20..39: guard_daemon.bpf.c: canisterd's process, ptrace scope, kernel helpers. */
	CANISTER_GUARD_DAEMON_SCHED = 20,  /* setpriority, ioprio_set, sched_set*, move_pages */
	CANISTER_GUARD_FANOTIFY_PERM = 21, /* a fanotify permission-event mark */
	CANISTER_GUARD_PRLIMIT = 22,	   /* prlimit on canisterd */
	CANISTER_GUARD_SIGIO = 23,	   /* an async-I/O signal (F_SETOWN) to canisterd */
	CANISTER_GUARD_DAEMON_PROC = 24,   /* a write open of /proc/<canisterd or helper>/... */
	CANISTER_GUARD_CGROUP = 25,	   /* a write to canisterd's cgroups, or a v1 move */
	CANISTER_GUARD_SYSCTL = 26,	   /* a write open of a sysctl of the host */
	CANISTER_GUARD_SYSRQ = 27,	   /* a write open of /proc/sysrq-trigger */
	CANISTER_GUARD_KERNEL_FS = 28,	   /* a write open on sysfs, securityfs, debugfs, ... */
	CANISTER_GUARD_LOCKDOWN = 29,	 /* what lockdown=integrity forbids (/dev/mem, iopl, ...) */
	CANISTER_GUARD_BINFMT_MISC = 30, /* a write open on binfmt_misc */
	CANISTER_GUARD_RELEASE_AGENT = 31,  /* cgroup v1 release_agent, notify_on_release */
	CANISTER_GUARD_PTRACE_SCOPE = 32,   /* ptrace of a process outside the container */
	CANISTER_GUARD_TRACEME = 33,	    /* PTRACE_TRACEME toward a parent outside it */
	CANISTER_GUARD_MODULE_REQUEST = 34, /* a module autoload (modprobe) */
	CANISTER_GUARD_AUDIT_CONTROL = 35,  /* a change of the kernel's audit configuration */
	CANISTER_GUARD_REQUEST_KEY = 36,    /* a request_key upcall (/sbin/request-key) */
	CANISTER_GUARD_TIOCSTI = 37,	    /* typing into a terminal (TIOCSTI, TIOCLINUX) */
	CANISTER_GUARD_BPF_PROG_LOAD = 38,  /* a BPF program other than a socket filter */
	CANISTER_GUARD_HELPER_KILL = 39,    /* a signal to a helper canisterd started */
	CANISTER_GUARD_REBOOT = 40,	    /* reboot(2), kexec: CAP_SYS_BOOT */
	CANISTER_GUARD_MOUNT_SETATTR = 41,  /* mount_setattr(2) in canisterd's mount namespace */
};

/* Kinds of struct canister_guarded keys. */
enum canister_guarded_kind {
	CANISTER_GUARDED_MAP = 1, /* id: a BPF map id */
	CANISTER_GUARDED_PROG = 2,
	CANISTER_GUARDED_LINK = 3,
	/* id: an inode number on the pins' bpffs; neither it nor anything beneath is reachable */
	CANISTER_GUARDED_TREE = 4,
	/* id: an inode number on the pins' bpffs (the pin directory's ancestors): not removed,
	 * renamed or replaced, so that the pin path keeps leading to the pins */
	CANISTER_GUARDED_NAME = 5,
};

/* Key of the guarded map (value: __u32, unused); canisterd fills it, guard_objects reads it. */
struct canister_guarded {
	__u32 kind; /* enum canister_guarded_kind */
	__u32 reserved;
	__u64 id;
};
_Static_assert(sizeof(struct canister_guarded) == 16, "canister_guarded is ABI");
/* Entries of the guarded map: every object of every run still alive, and the pins' inodes. */
#define CANISTER_MAX_GUARDED 4096

/* Indexes of the per-CPU stats array; userspace sums the CPUs. */
enum canister_stat {
	CANISTER_STAT_INHERITED = 0,	  /* labels copied at fork */
	CANISTER_STAT_CLEARED = 1,	  /* labels removed at thread-group exit */
	CANISTER_STAT_EVENTS = 2,	  /* records submitted to the ring buffer */
	CANISTER_STAT_LOST = 3,		  /* records dropped because the ring buffer was full */
	CANISTER_STAT_INHERIT_FAILED = 4, /* children that could not be labelled */
	CANISTER_STAT_GUARD_DENIED = 5,	  /* lsm mode: refusals by the guard hooks */
	CANISTER_STAT_JOINED = 6,	  /* processes labelled on entering a container by setns */
	CANISTER_STAT_FORK_REFUSED = 7, /* lsm mode: forks refused, no room for the child's label */
	CANISTER_STAT_MAX = 8,
};

#endif /* CANISTER_ABI_H */
