/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: what bpf/mmap_exec.bpf.c tells canisterd of an executable mapping (lsm mode). */
#ifndef CANISTER_INTEGRITY_MMAP_EVENT_H
#define CANISTER_INTEGRITY_MMAP_EVENT_H

/*
 * Shared by the BPF object (vmlinux.h's types) and canisterd (linux/types.h):
 * the layout is only this build's, both sides are built together, so it is
 * not part of include/canister/abi.h.
 */
#define CANISTER_MMAP_DIGEST_MAX 64 /* IMA's largest digest (sha512) */
#define CANISTER_MMAP_PATH_MAX 4096
#define CANISTER_MMAP_EVENTS_BYTES (256 * 1024)
/*
 * mmap_lists: contid -> 1 when the container's own IMA policy can measure or
 * audit a mapping, 0 when it cannot; CANISTER_MMAP_DEFAULT (never a contid)
 * -> the same of the default policy, for every container without an entry.
 * A container's mapping is reported when some level of its chain lists
 * mappings (or no entry says either way); else it is only counted.
 */
#define CANISTER_MMAP_DEFAULT ((__u64)-1)
/* Every container may hold a policy of its own (ended ones keep theirs a while), and the default.
 */
#define CANISTER_MMAP_POLICIES_MAX (CANISTER_MAX_CONTAINERS + 1)
/* CANISTER_NEST_LIMIT_MAX (canister.h, not included in BPF); canisterd asserts they agree. */
#define CANISTER_MMAP_NEST_MAX 20

struct canister_mmap_event {
	__u64 contid;
	__u64 dev; /* the superblock's s_dev, in the kernel's encoding (major << 20 | minor) */
	__u64 ino;
	__u64 fsmagic;
	__u64 cap_effective; /* the mapper's effective capabilities, bit N for capability N */
	/* the mapper's root directory (its superblock's s_dev, kernel encoding; its inode) */
	__u64 root_dev, root_ino;
	__u8 fsuuid[16]; /* the file's superblock's s_uuid, as IMA compares it (zeros: none) */
	__u32 tgid;
	__u32 prot;
	__u32 uid, euid, suid, fowner;
	__s32 hash_algo; /* bpf_ima_file_hash(): IMA's hash algorithm id, or -errno */
	__s32 path_len;	 /* bpf_d_path(): the path's length with its NUL, or -errno */
	__u8 digest[CANISTER_MMAP_DIGEST_MAX];
	char path[CANISTER_MMAP_PATH_MAX];
};

#endif
