/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: what canisterd and the isolation BPF programs share: grants and reports. */
#ifndef CANISTER_ACCESS_ISOLATION_ABI_H
#define CANISTER_ACCESS_ISOLATION_ABI_H

/* The BPF side has vmlinux.h's types already. */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * Shared by the BPF objects (vmlinux.h's types) and canisterd (linux/types.h).
 * The maps are pinned and outlive canisterd: a build that changes a layout
 * here must be loaded after `canisterd --unload`.
 */

/*
 * Pin names under pin_path.  The grants map is identity's to pin (its guard
 * reads it for ptrace, isolation.bpf.c for signals); the reports and counts
 * are isolation.bpf.c's.
 */
#define CANISTER_MAP_ISOLATION_GRANTS "isolation_grants"
#define CANISTER_MAP_ISOLATION_REPORTS "isolation_reports"
#define CANISTER_MAP_ISOLATION_COUNTS "isolation_counts"
/* Which container created an inode (inode storage), and a creation under way (task storage). */
#define CANISTER_MAP_ISOLATION_CREATORS "isolation_creators"
#define CANISTER_MAP_ISOLATION_CREATING "isolation_creating"

/* A grant key's target for host-admin: no container has this id (CANISTER_CONTID_UNSET). */
#define CANISTER_ISOLATION_HOST_ADMIN ((__u64)-1)
/* A grant key's uid for "any uid" (no --uid; every host-admin key). */
#define CANISTER_ISOLATION_ANY_UID 0xffffffffU

#define CANISTER_ISOLATION_GRANTS_MAX 4096
/* Files whose async-I/O owner a labelled process named, alive at once (isolation.bpf.c). */
#define CANISTER_ISOLATION_SIGIO_MAX 65536
#define CANISTER_ISOLATION_REPORTS_BYTES (64 * 1024)
/* CANISTER_NEST_LIMIT_MAX; isolation.c asserts they agree. */
#define CANISTER_ISOLATION_NEST_MAX 20

/*
 * One grant as the kernel looks it up: container @holder's processes
 * running as @uid (host uid; CANISTER_ISOLATION_ANY_UID: any) may act on
 * container @target's processes running as @target_uid.  host-admin:
 * {holder, CANISTER_ISOLATION_HOST_ADMIN, ANY_UID, ANY_UID}.  Value: 1.
 */
struct canister_isolation_grant_key {
	__u64 holder;
	__u64 target;
	__u32 uid;
	__u32 target_uid;
};

/* What a labelled process tried on another container's object. */
enum canister_isolation_op {
	CANISTER_ISOLATION_OP_SIGNAL = 1,
	CANISTER_ISOLATION_OP_WRITE,  /* an open for writing of a file another container created */
	CANISTER_ISOLATION_OP_REMOVE, /* an unlink, rmdir or rename of one (or over one) */
	CANISTER_ISOLATION_OP_PTRACE, /* trace mode: a ptrace attach or process_vm_readv/writev */
	/*
	 * A change to a file another container created that is no open for
	 * writing: truncate(2), chmod, chown, an extended attribute (ACLs and
	 * security labels included), the inode flags (immutable, append-only).
	 */
	CANISTER_ISOLATION_OP_ATTRIBUTES,
	/* A control of another process that is no signal: sig holds enum
	   canister_isolation_control. */
	CANISTER_ISOLATION_OP_CONTROL,
	/*
	 * A write to a cgroupfs file (or directory) of a cgroup outside the
	 * writer's own: cgroup.kill, cgroup.freeze, a limit, cgroup.procs.
	 * target_contid CANISTER_CONTID_UNSET (a cgroup has no container),
	 * ino the cgroup's id, name "DIR/FILE".
	 */
	CANISTER_ISOLATION_OP_CGROUP,
};

/*
 * What an OP_CONTROL changes: each can end or starve a process as a signal
 * would (an RLIMIT_CPU of 1 s is a SIGKILL; an oom_score_adj of 1000 picks
 * it for the OOM killer), and none passes task_kill.
 */
enum canister_isolation_control {
	CANISTER_ISOLATION_CONTROL_RLIMIT = 1, /* prlimit(2) setting another's limits */
	CANISTER_ISOLATION_CONTROL_NICE,       /* setpriority(2) */
	CANISTER_ISOLATION_CONTROL_IOPRIO,     /* ioprio_set(2) */
	CANISTER_ISOLATION_CONTROL_SCHEDULER,  /* sched_setscheduler, _setparam, _setattr,
						  _setaffinity */
	CANISTER_ISOLATION_CONTROL_MEMORY,     /* migrate_pages(2), move_pages(2) */
	CANISTER_ISOLATION_CONTROL_PROC_WRITE, /* an open for writing of a /proc/PID file */
};

/*
 * The file in a report: a write's full path in the writer's root (bpf_d_path
 * in file_open), else (a removal, or a path longer than this) its last
 * component: the inode hooks have no mount to make a path from.
 */
#define CANISTER_ISOLATION_NAME_MAX 512

/* isolation_counts' slots (an array, one __u64 each). */
enum canister_isolation_count {
	CANISTER_ISOLATION_DENIED = 0, /* every denial, reported or not */
	CANISTER_ISOLATION_LOST,       /* reports the ring buffer had no room for */
	CANISTER_ISOLATION_COUNT_MAX,
};

/* One denial, for a CONTAINER_ACCESS record. */
struct canister_isolation_report {
	__u64 contid;	     /* the subject's container */
	__u64 target_contid; /* CANISTER_ISOLATION_HOST_ADMIN: a host process */
	__u32 tgid;
	__u32 target_tgid;
	__u32 uid;	     /* the subject's effective uid */
	__u32 target_uid;    /* the target's effective uid */
	__u16 op;	     /* enum canister_isolation_op */
	__u16 sig;	     /* SIGNAL: the signal; CONTROL: enum canister_isolation_control */
	__u32 recorded_only; /* trace mode: seen at the syscall, nothing denied it */
	/*
	 * WRITE, REMOVE, ATTRIBUTES: target_tgid 0, target_uid the file's owner,
	 * target_contid its creator.
	 */
	__u64 ino;
	char name[CANISTER_ISOLATION_NAME_MAX];
};

#endif
