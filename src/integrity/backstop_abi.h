/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: what canisterd and bpf/backstop.bpf.c share: the appraisal backstop's maps and reports.
 */
#ifndef CANISTER_INTEGRITY_BACKSTOP_ABI_H
#define CANISTER_INTEGRITY_BACKSTOP_ABI_H

/*
 * Shared by the BPF object (vmlinux.h's types) and canisterd (linux/types.h).
 * The maps are pinned and outlive canisterd: a build that changes a layout
 * here must be loaded after `canisterd --unload` (the load then fails with
 * EINVAL, as for identity's maps).
 */

/* Pin names, beside identity's maps under pin_path. */
#define CANISTER_MAP_APPRAISE_ENFORCE "appraise_enforce"
#define CANISTER_MAP_APPRAISE_VERDICTS "appraise_verdicts"
#define CANISTER_MAP_BACKSTOP_DENIALS "backstop_denials"
#define CANISTER_MAP_BACKSTOP_COUNTS "backstop_counts"

/* A verdict's allowed bits, and the hooks a container appraises: IMA's BPRM_CHECK, MMAP_CHECK. */
#define CANISTER_BACKSTOP_EXEC (1U << 0)
#define CANISTER_BACKSTOP_MMAP (1U << 1)
/*
 * appraise_enforce's value: the hooks a container enforces (the bits above),
 * and those it only logs, shifted by CANISTER_BACKSTOP_LOG_SHIFT (reported, not denied).
 */
#define CANISTER_BACKSTOP_LOG_SHIFT 2
/*
 * appraise_enforce's key for every container without an entry of its own:
 * the config's default mode and policy (CANISTER_CONTID_UNSET, never a
 * container's id).
 */
#define CANISTER_BACKSTOP_DEFAULT ((__u64)-1)

/* Least recently used verdicts go first: an evicted one is judged again while canisterd runs. */
#define CANISTER_BACKSTOP_VERDICTS_MAX 65536
#define CANISTER_BACKSTOP_CONTAINERS_MAX 4096
#define CANISTER_BACKSTOP_DENIALS_BYTES (64 * 1024)
#define CANISTER_BACKSTOP_PATH_MAX 256
/* CANISTER_NEST_LIMIT_MAX (canister.h, which BPF does not include); canisterd asserts they agree.
 */
#define CANISTER_BACKSTOP_NEST_MAX 20

/* A file as one container's processes use it: the verdict is the opener's chain's. */
struct canister_backstop_key {
	__u64 contid; /* the opener's own container */
	__u64 dev; /* the inode's superblock s_dev, in the kernel's encoding (major << 20 | minor)
		    */
	__u64 ino;
};

/* The inode as the kernel held it when the gate allowed it: any change moves ctime. */
struct canister_backstop_verdict {
	__s64 ctime_sec;
	__s64 size;
	__u32 ctime_nsec;
	__u32 allowed; /* CANISTER_BACKSTOP_EXEC, CANISTER_BACKSTOP_MMAP */
};

/* Which hook refused. */
enum canister_backstop_hook {
	CANISTER_BACKSTOP_HOOK_BPRM = 1, /* bprm_check_security: an exec */
	CANISTER_BACKSTOP_HOOK_MMAP,	 /* mmap_file with PROT_EXEC */
	CANISTER_BACKSTOP_HOOK_MPROTECT, /* file_mprotect adding PROT_EXEC */
};

/* Why: no verdict for this file, or the file changed since its verdict. */
enum canister_backstop_cause {
	CANISTER_BACKSTOP_NOT_APPRAISED = 1,
	CANISTER_BACKSTOP_CHANGED,
	CANISTER_BACKSTOP_NOT_ALLOWED, /* a verdict, for the other hook only */
};

/* backstop_counts' slots (an array, one __u64 each). */
enum canister_backstop_count {
	CANISTER_BACKSTOP_DENIED = 0, /* every denial, reported or not */
	CANISTER_BACKSTOP_LOST,	      /* reports the ring buffer had no room for */
	CANISTER_BACKSTOP_LOGGED,     /* what a container in log mode was let do */
	CANISTER_BACKSTOP_COUNT_MAX,
};

/* One denial (or, in log mode, what would have been one), for a CONTAINER_INTEGRITY record. */
struct canister_backstop_denial {
	__u64 contid;
	__u64 dev; /* kernel encoding */
	__u64 ino;
	__u32 tgid;
	__u16 hook;	/* enum canister_backstop_hook */
	__u16 cause;	/* enum canister_backstop_cause */
	__s32 path_len; /* bpf_d_path(): the length with its NUL, or -errno */
	__u32 denied;	/* 0: log mode, allowed */
	char path[CANISTER_BACKSTOP_PATH_MAX];
};

#endif
