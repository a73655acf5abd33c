/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: an enforced domain's events judged in
 * the LSM hook.  The kernel computes the event's coefficient from the bytes
 * userspace hashes (kernel_coefficient.h) with the acting task's TASK_ID
 * from the task storage canisterd fills at each exec (or its parent's, taken
 * at its fork), and looks it up in the
 * domain's model: not there, or not computable (a TASK_ID the gate never
 * saw), the hook returns -EPERM.  Pure lookups and a bounded hash: no loop
 * runs longer than SHA-256's 64 rounds of 3 blocks.
 */
#ifndef CANISTER_MODEL_OBSERVE_DENY_BPF_H
#define CANISTER_MODEL_OBSERVE_DENY_BPF_H

#include "observe.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct canister_model_obs_deny_settings);
} model_deny_settings SEC(".maps");

/*
 * Filled by canisterd through a pidfd at each exec its gate holds (before
 * the program runs) and for the processes it derives a TASK_ID for from
 * /proc: task storage on the thread group leader, freed with the process.
 * Nothing another process does (a storm of execs in another container)
 * can push a process's TASK_ID out, as it could from one LRU map for all.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_model_obs_task_ids);
} model_task_ids SEC(".maps");

/* Containers whose domain is enforced, once their model's coefficients are in model_allowed. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MODEL_OBS_WANTED_MAX);
	__type(key, __u64);
	__type(value, __u32);
} model_enforced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MODEL_OBS_ALLOWED_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_model_obs_allowed_key);
	__type(value, __u8);
} model_allowed SEC(".maps");

/*
 * The hash's scratch space (too large for the stack), per task rather than
 * per CPU: a task preempted in a hook (a preemptible kernel) cannot have
 * its computation overwritten by another's on the same CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_model_kc_scratch);
} model_deny_scratch SEC(".maps");

/* What the hook decided; copied into the record's head. */
struct deny_verdict {
	__u32 keyed, denied;
	__u8 coefficient[8];
};

/*
 * Whether the current process's domain is enforced (never a host process,
 * an unwanted container, a learning or sealed domain): then its container
 * in *@ret_contid and the scratch space, its message zeroed, in *@ret (NULL
 * when the kernel had no memory for it: the event is denied, as one the
 * model cannot vouch for).
 */
static __always_inline bool enforced(__u64 *ret_contid, struct canister_model_kc_scratch **ret)
{
	struct canister_model_kc_scratch *s;
	__u64 contid = 0;

	*ret = NULL;
	if (!current_wanted(&contid) || !bpf_map_lookup_elem(&model_enforced, &contid))
		return false;
	*ret_contid = contid;
	s = bpf_task_storage_get(&model_deny_scratch, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s) {
		cn_kc_zero_msg(s);
		*ret = s;
	}
	return true;
}

/*
 * @task's TASK_ID, or NULL: the one canisterd gave its process for the
 * program it runs now (model_task_ids), else the one it took from its
 * parent at its fork and has run with since, as TSEM's task_alloc copies a
 * parent's TASK_ID to its child (model_forks, observe_origin.bpf.h).  An
 * entry made for another executable (an exec since) or another process is
 * a miss, never the old program's TASK_ID.
 */
static __always_inline __u8 *task_id_of(struct task_struct *task,
					const struct canister_model_obs_deny_settings *settings)
{
	struct canister_model_obs_task_ids *given;
	struct canister_model_obs_fork *forked;
	__u64 exe_dev, exe_ino, start_ns, start_ticks;

	if (!settings->ns_per_tick)
		return NULL;
	task_key_of(task, &exe_dev, &exe_ino, &start_ns);
	start_ticks = start_ns / settings->ns_per_tick;
	given = bpf_task_storage_get(&model_task_ids, task->group_leader, 0, 0);
	if (given && exe_ino) {
		for (int i = 0; i < CANISTER_MODEL_OBS_TASK_ID_SLOTS; i++) {
			struct canister_model_obs_task_id_slot *slot = &given->slot[i];

			if (slot->exe_ino == exe_ino && slot->exe_dev == exe_dev &&
			    slot->start_ticks == start_ticks)
				return slot->task_id;
		}
	}
	forked = fork_entry(task);
	return forked && forked->has_task_id ? forked->task_id : NULL;
}

static __always_inline const struct canister_model_obs_deny_settings *deny_settings(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&model_deny_settings, &zero);
}

/* @target's TASK_ID (task_kill's, ptrace_access_check's target), or NULL: none in the map. */
static __always_inline __u8 *target_task_id(struct task_struct *target)
{
	const struct canister_model_obs_deny_settings *settings = deny_settings();

	return settings ? task_id_of(target, settings) : NULL;
}

/*
 * Judges the event of @kind whose CELL (@cell_len bytes; 0: none the kernel
 * can make, not judged) is in @s->msg, for the current task of enforced
 * container @contid, into @v.
 */
static __always_inline void deny_judge(struct canister_model_kc_scratch *s, __u64 contid,
				       __u32 kind, __u32 cell_len, struct deny_verdict *v)
{
	const struct canister_model_obs_deny_settings *settings = deny_settings();
	struct canister_model_obs_allowed_key key = {};
	struct canister_model_obs_coe coe;
	__u8 *task_id;

	if (!cell_len)
		return;
	/* What the model cannot vouch for is not in it: no settings, no TASK_ID. */
	v->denied = 1;
	if (!settings)
		return;
	task_id = task_id_of(bpf_get_current_task_btf(), settings);
	if (!task_id)
		return;
	coe_of(current_cred(), &coe);
	if (cn_kc_coefficient(s, cell_len, settings->event_digest[kind & 15], task_id,
			      (const __u8 *)&coe, (const __u32 *)sha256_k) < 0)
		return;
	v->keyed = 1;
	__builtin_memcpy(v->coefficient, s->coefficient, sizeof(v->coefficient));
	key.contid = contid;
	__builtin_memcpy(key.coefficient, s->coefficient, sizeof(key.coefficient));
	if (bpf_map_lookup_elem(&model_allowed, &key))
		v->denied = 0;
}

static __always_inline void deny_note(struct canister_model_obs_head *head,
				      const struct deny_verdict *v)
{
	head->keyed = v->keyed;
	head->denied = v->denied;
	__builtin_memcpy(head->kernel_coefficient, v->coefficient, sizeof(v->coefficient));
}

#endif
