// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode, integrity on: denies what the fanotify gate never appraised, with or without
 * canisterd. */
#include "../../identity/bpf/pending.bpf.h"
#include "../backstop_abi.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define PROT_EXEC 0x4
#define VM_EXEC 0x4

/*
 * Written by canisterd only (the guard keeps every other process off them)
 * and pinned: they and the pinned links keep denying after canisterd is
 * gone.  appraise_enforce: contid -> the hooks the container's own mode
 * and policy make it appraise, enforced or logged (backstop_abi.h);
 * CANISTER_BACKSTOP_DEFAULT -> those of every container without an entry.  appraise_verdicts: what
 * the gate allowed, written before its answer.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_BACKSTOP_CONTAINERS_MAX);
	__type(key, __u64);
	__type(value, __u32);
} appraise_enforce SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, CANISTER_BACKSTOP_VERDICTS_MAX);
	__type(key, struct canister_backstop_key);
	__type(value, struct canister_backstop_verdict);
} appraise_verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_BACKSTOP_DENIALS_BYTES);
} backstop_denials SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_BACKSTOP_COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} backstop_counts SEC(".maps");

/* The inode's ctime as each kernel lays it out (CO-RE picks the one the running kernel has). */
struct inode___ctime_6_1 {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

struct inode___ctime_6_6 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___ctime_6_11 {
	time64_t i_ctime_sec;
	u32 i_ctime_nsec;
} __attribute__((preserve_access_index));

static __always_inline void inode_ctime(struct inode *inode, __s64 *sec, __u32 *nsec)
{
	struct inode___ctime_6_11 *i11 = (void *)inode;
	struct inode___ctime_6_6 *i6 = (void *)inode;
	struct inode___ctime_6_1 *i1 = (void *)inode;

	if (bpf_core_field_exists(i11->i_ctime_sec)) {
		*sec = BPF_CORE_READ(i11, i_ctime_sec);
		*nsec = BPF_CORE_READ(i11, i_ctime_nsec);
	} else if (bpf_core_field_exists(i6->__i_ctime)) {
		*sec = BPF_CORE_READ(i6, __i_ctime.tv_sec);
		*nsec = BPF_CORE_READ(i6, __i_ctime.tv_nsec);
	} else {
		*sec = BPF_CORE_READ(i1, i_ctime.tv_sec);
		*nsec = BPF_CORE_READ(i1, i_ctime.tv_nsec);
	}
}

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&backstop_counts, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/*
 * What the chain of @contid appraises in enforce mode: its own bits and every
 * ancestor's (an ancestor's rule binds every container nested in it).  The
 * containers map gives the parents; the walk stops at the nesting limit.
 */
static __always_inline __u32 chain_enforces(__u64 contid)
{
	__u64 default_key = CANISTER_BACKSTOP_DEFAULT;
	__u32 bits = 0;

	for (int depth = 0; depth < CANISTER_BACKSTOP_NEST_MAX; depth++) {
		struct canister_container *container;
		__u32 *own;

		if (contid == CANISTER_CONTID_UNSET)
			break;
		own = bpf_map_lookup_elem(&appraise_enforce, &contid);
		if (!own)
			own = bpf_map_lookup_elem(&appraise_enforce, &default_key);
		if (own)
			bits |= *own;
		container = bpf_map_lookup_elem(&containers, &contid);
		if (!container)
			break;
		contid = container->parent;
	}
	return bits;
}

/*
 * The opener's container, when its chain appraises @hook_bit (*@ret_enforced:
 * in enforce; else in log, reported only); else 0 (nothing to check).
 */
static __always_inline __u64 appraising_opener(__u32 hook_bit, __u32 *ret_tgid, bool *ret_enforced)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = task_label(bpf_get_current_task_btf(), tgid);
	__u32 bits;

	*ret_tgid = tgid;
	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	bits = chain_enforces(label->contid);
	*ret_enforced = bits & hook_bit;
	return bits & (hook_bit | hook_bit << CANISTER_BACKSTOP_LOG_SHIFT) ? label->contid : 0;
}

/*
 * 0 when the gate allowed @file for @contid's processes for @hook_bit and
 * the inode is the one it allowed (same ctime and size); else -EPERM when
 * @enforced (0 in log mode), counted, with *@ret_denial the report to
 * complete with the path and submit (NULL when the ring buffer is full).
 */
static __always_inline int judge(__u64 contid, __u32 tgid, struct file *file, __u32 hook_bit,
				 __u16 hook, bool enforced,
				 struct canister_backstop_denial **ret_denial)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct canister_backstop_key key = {
		.contid = contid,
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
	};
	struct canister_backstop_verdict *verdict;
	struct canister_backstop_denial *denial;
	__u16 cause = CANISTER_BACKSTOP_NOT_APPRAISED;
	int answer = enforced ? -EPERM : 0;
	__s64 sec;
	__u32 nsec;

	*ret_denial = NULL;
	verdict = bpf_map_lookup_elem(&appraise_verdicts, &key);
	if (verdict) {
		inode_ctime(inode, &sec, &nsec);
		if (verdict->ctime_sec != sec || verdict->ctime_nsec != nsec ||
		    verdict->size != BPF_CORE_READ(inode, i_size))
			cause = CANISTER_BACKSTOP_CHANGED;
		else if (!(verdict->allowed & hook_bit))
			cause = CANISTER_BACKSTOP_NOT_ALLOWED;
		else
			return 0;
	}
	count(enforced ? CANISTER_BACKSTOP_DENIED : CANISTER_BACKSTOP_LOGGED);
	denial = bpf_ringbuf_reserve(&backstop_denials, sizeof(*denial), 0);
	if (!denial) {
		count(CANISTER_BACKSTOP_LOST);
		return answer;
	}
	denial->contid = contid;
	denial->dev = key.dev;
	denial->ino = key.ino;
	denial->tgid = tgid;
	denial->hook = hook;
	denial->cause = cause;
	denial->denied = enforced;
	denial->path_len = -95; /* EOPNOTSUPP, unless the hook may name the file */
	*ret_denial = denial;
	return answer;
}

/* bpf_d_path() is for sleepable hooks only: those name the file in their report. */
static __always_inline void report_with_path(struct canister_backstop_denial *denial,
					     struct file *file)
{
	if (!denial)
		return;
	denial->path_len =
		bpf_d_path((struct path *)&file->f_path, denial->path, sizeof(denial->path));
	bpf_ringbuf_submit(denial, 0);
}

/*
 * An exec the gate did not allow: from a filesystem it has no mark on, a
 * memfd (execveat), a file changed since, or any exec while canisterd is gone
 * (fanotify then allows everything).  Also the interpreter of a script.
 */
SEC("lsm.s/bprm_check_security")
int BPF_PROG(canister_backstop_exec, struct linux_binprm *bprm, int ret)
{
	struct canister_backstop_denial *denial;
	bool enforced;
	__u64 contid;
	__u32 tgid;
	int answer;

	if (ret)
		return ret;
	contid = appraising_opener(CANISTER_BACKSTOP_EXEC, &tgid, &enforced);
	if (!contid)
		return 0;
	/* bprm->file walked, not read: bpf_d_path() takes a pointer the verifier knows. */
	answer = judge(contid, tgid, bprm->file, CANISTER_BACKSTOP_EXEC,
		       CANISTER_BACKSTOP_HOOK_BPRM, enforced, &denial);
	report_with_path(denial, bprm->file);
	return answer;
}

/* A file mapped executable (a library, the kernel's mappings of an executable and ld.so). */
SEC("lsm.s/mmap_file")
int BPF_PROG(canister_backstop_mmap, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	struct canister_backstop_denial *denial;
	bool enforced;
	__u64 contid;
	__u32 tgid;
	int answer;

	/* Anonymous memory is no file: not appraisal's. */
	if (ret || !file || !(prot & PROT_EXEC))
		return ret;
	contid = appraising_opener(CANISTER_BACKSTOP_MMAP, &tgid, &enforced);
	if (!contid)
		return 0;
	answer = judge(contid, tgid, file, CANISTER_BACKSTOP_MMAP, CANISTER_BACKSTOP_HOOK_MMAP,
		       enforced, &denial);
	report_with_path(denial, file);
	return answer;
}

/*
 * A file's mapping made executable afterwards: the same as mapping it so.
 * Not sleepable in the kernel (mmap_lock is held), hence lsm/ and no path.
 */
SEC("lsm/file_mprotect")
int BPF_PROG(canister_backstop_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	struct file *file;
	struct canister_backstop_denial *denial;
	bool enforced;
	__u64 contid;
	__u32 tgid;
	int answer;

	if (ret || !(prot & PROT_EXEC))
		return ret;
	/* Already executable: the mapping was judged when it became so. */
	if (BPF_CORE_READ(vma, vm_flags) & VM_EXEC)
		return 0;
	file = vma->vm_file;
	if (!file)
		return 0;
	contid = appraising_opener(CANISTER_BACKSTOP_MMAP, &tgid, &enforced);
	if (!contid)
		return 0;
	answer = judge(contid, tgid, file, CANISTER_BACKSTOP_MMAP, CANISTER_BACKSTOP_HOOK_MPROTECT,
		       enforced, &denial);
	/* No path here: canisterd names the file by device and inode. */
	if (denial)
		bpf_ringbuf_submit(denial, 0);
	return answer;
}
