/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: what both observer variants share: the wanted
 * containers, their budgets, the ring buffer, and the record's head.
 */
#ifndef CANISTER_MODEL_OBSERVE_BPF_H
#define CANISTER_MODEL_OBSERVE_BPF_H

#include "../../identity/bpf/pending.bpf.h"
#include "../kernel_coefficient.h"
#include "../observe_abi.h"
#include "../observe_budget.h"
#include <bpf/bpf_core_read.h>

/* Set by the loader before load: the budget of every container (records a second, and burst). */
const volatile __u64 budget_interval_ns = 100000;
const volatile __u64 budget_burst = 1000;
/*
 * SHA-256's round constants for kernel_coefficient.h (lsm mode's enforced
 * domains); in both variants, whose settings the loader writes as one.
 */
const volatile __u32 sha256_k[64] = CN_KC_K;

/* The containers whose processes are observed (contid -> budget and counters). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MODEL_OBS_WANTED_MAX);
	__type(key, __u64);
	__type(value, struct canister_model_obs_wanted);
} model_wanted SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_MODEL_OBS_RING_BYTES);
} model_records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_MODEL_OBS_COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} model_counts SEC(".maps");

/*
 * What a forked process took from its parent (observe_origin.bpf.h fills
 * it at the fork, before the child runs): task storage on the thread group
 * leader, freed with it, so that no process's entry can push out another's
 * and none outlives its process.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_model_obs_fork);
} model_forks SEC(".maps");

static __always_inline void model_count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&model_counts, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/*
 * The label of a thread group: trace mode has only the labels map (identity
 * keeps pending labels in lsm mode alone); lsm mode looks where
 * pending.bpf.h says every lookup must.
 */
static __always_inline struct canister_label *label_of(struct task_struct *task, __u32 tgid)
{
#ifdef CANISTER_MODEL_OBSERVE_LSM
	return task_label(task, tgid);
#else
	return bpf_map_lookup_elem(&labels, &tgid);
#endif
}

/*
 * The current process's container, if it is wanted, else NULL.  A host
 * process (no label) costs one lookup of the labels map; a labelled one
 * that is not wanted, two.
 */
static __always_inline struct canister_model_obs_wanted *current_wanted(__u64 *ret_contid)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = label_of(bpf_get_current_task_btf(), tgid);
	__u64 contid;

	if (!label)
		return NULL;
	contid = label->contid;
	if (contid == CANISTER_CONTID_UNSET)
		return NULL;
	*ret_contid = contid;
	return bpf_map_lookup_elem(&model_wanted, &contid);
}

/* @cred's ids (as the initial user namespace numbers them) and effective capabilities. */
static __always_inline void coe_of(const struct cred *cred, struct canister_model_obs_coe *coe)
{
	coe->uid = BPF_CORE_READ(cred, uid.val);
	coe->euid = BPF_CORE_READ(cred, euid.val);
	coe->suid = BPF_CORE_READ(cred, suid.val);
	coe->gid = BPF_CORE_READ(cred, gid.val);
	coe->egid = BPF_CORE_READ(cred, egid.val);
	coe->sgid = BPF_CORE_READ(cred, sgid.val);
	coe->fsuid = BPF_CORE_READ(cred, fsuid.val);
	coe->fsgid = BPF_CORE_READ(cred, fsgid.val);
	/* A u64 since 6.3, two u32 before: the same 8 little-endian bytes either way. */
	coe->capeff = 0;
	bpf_probe_read_kernel(&coe->capeff, sizeof(coe->capeff), &cred->cap_effective);
}

/*
 * @task's executable, by inode (its path and digest are userspace's to
 * find), and when its thread group started: with its tgid, the task whose
 * TASK_ID canisterd remembered at its exec (observe_abi.h).  The leader's
 * start, as /proc/PID/stat gives it: an exec by another thread makes that
 * thread the leader with the old leader's start time.
 */
static __always_inline void task_key_of(struct task_struct *task, __u64 *ret_exe_dev,
					__u64 *ret_exe_ino, __u64 *ret_start_ns)
{
	struct inode *inode = BPF_CORE_READ(task, mm, exe_file, f_inode);

	*ret_exe_dev = inode ? BPF_CORE_READ(inode, i_sb, s_dev) : 0;
	*ret_exe_ino = inode ? BPF_CORE_READ(inode, i_ino) : 0;
	*ret_start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
}

/*
 * @task's process's model_forks entry while it is still the one made at its
 * fork: the same process (its leader's start) running the same program;
 * else NULL.  The storage lives on the leader: it is the process's.
 */
static __always_inline struct canister_model_obs_fork *fork_entry(struct task_struct *task)
{
	struct canister_model_obs_fork *entry;
	__u64 exe_dev, exe_ino, start_ns;

	entry = bpf_task_storage_get(&model_forks, task->group_leader, 0, 0);
	if (!entry)
		return NULL;
	task_key_of(task, &exe_dev, &exe_ino, &start_ns);
	if (entry->start_ns != start_ns || entry->origin.exe_dev != exe_dev ||
	    entry->origin.exe_ino != exe_ino)
		return NULL;
	return entry;
}

/* The origin of @task's process (the head's @origin) into *@ret; zeros when it has none. */
static __always_inline void origin_of(struct task_struct *task, struct canister_model_obs_task *ret)
{
	struct canister_model_obs_fork *entry = fork_entry(task);

	if (entry) {
		*ret = entry->origin;
		return;
	}
	ret->tgid = 0;
	ret->pad = 0;
	ret->start_ns = 0;
	ret->exe_dev = 0;
	ret->exe_ino = 0;
}

static __always_inline const struct cred *current_cred(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return BPF_CORE_READ(task, cred);
}

/*
 * A record of @size bytes (a constant once inlined, as the ring buffer
 * needs) for the current process, head filled, if its container is wanted,
 * within its budget and the ring has room; NULL otherwise, the drop counted
 * in the container's counters and the global ones.  The caller fills the
 * rest and calls record_submit().
 */
static __always_inline void *reserve_bytes(__u32 kind, const __u32 size,
					   struct canister_model_obs_wanted **ret_wanted)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_head *head;
	__u64 pid_tgid, now, contid = 0;

	wanted = current_wanted(&contid);
	if (!wanted)
		return NULL;
	now = bpf_ktime_get_ns();
	if (!canister_model_budget_take(&wanted->tat, now, budget_interval_ns, budget_burst)) {
		__sync_fetch_and_add(&wanted->over_budget, 1);
		model_count(CANISTER_MODEL_OBS_OVER_BUDGET);
		return NULL;
	}
	head = bpf_ringbuf_reserve(&model_records, size, 0);
	if (!head) {
		__sync_fetch_and_add(&wanted->ring_full, 1);
		model_count(CANISTER_MODEL_OBS_RING_FULL);
		return NULL;
	}
	pid_tgid = bpf_get_current_pid_tgid();
	head->kind = kind;
	head->size = size;
	head->contid = contid;
	head->ktime_ns = now;
	head->keyed = 0;
	head->denied = 0;
	__builtin_memset(head->kernel_coefficient, 0, sizeof(head->kernel_coefficient));
	head->tgid = pid_tgid >> 32;
	head->tid = (__u32)pid_tgid;
	coe_of(current_cred(), &head->coe);
	bpf_get_current_comm(head->comm, sizeof(head->comm));
	task_key_of(bpf_get_current_task_btf(), &head->exe_dev, &head->exe_ino, &head->start_ns);
	origin_of(bpf_get_current_task_btf(), &head->origin);
	*ret_wanted = wanted;
	return head;
}

#define reserve(kind, type, ret_wanted) ((type *)reserve_bytes(kind, sizeof(type), ret_wanted))

/*
 * Waking the reader for each record costs the observed process a context
 * switch (more than the program itself, on a small machine): the reader
 * polls on a timer, and is woken only when the ring is a quarter full.
 */
static __always_inline void record_submit(void *record, struct canister_model_obs_wanted *wanted)
{
	__u64 flags = bpf_ringbuf_query(&model_records, BPF_RB_AVAIL_DATA) <
				      CANISTER_MODEL_OBS_RING_BYTES / 4
			      ? BPF_RB_NO_WAKEUP
			      : BPF_RB_FORCE_WAKEUP;

	__sync_fetch_and_add(&wanted->emitted, 1);
	model_count(CANISTER_MODEL_OBS_EMITTED);
	bpf_ringbuf_submit(record, flags);
}

#endif
