/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, trace mode: SysV shm attached executable
 * (shmat(2) with SHM_EXEC, or any attach under READ_IMPLIES_EXEC), the
 * mmap_file event lsm mode's hook sees: do_shmat() calls
 * security_mmap_file() and do_mmap() itself, so mmap(2)'s tracepoint never
 * fires for it.  The CELL is the bytes lsm mode hashes: reqprot as
 * do_shmat() makes it (PROT_READ, PROT_WRITE unless SHM_RDONLY, PROT_EXEC
 * for SHM_EXEC), prot as mmap_prot() applies it to the segment's file
 * (exec_memory.bpf.h), flags MAP_SHARED, with MAP_FIXED when the caller
 * gave an address, and anonymous memory (memory_anonymous(): a segment's
 * file is always on shmem's or hugetlbfs's internal mount).
 *
 * Recorded at the exit of a call that attached; mmap_prot()'s noexec test
 * reads the file of the mapping at the address it returns (bpf_find_vma()),
 * the one do_shmat() gave the hook.  A call refused before the hook (no such segment, no access)
 * is no event, nor is one the kernel refuses after it (an address
 * overlapping a mapping without SHM_REMAP, no memory), which lsm mode
 * records.  A lookup that cannot take the mm's lock takes mmap_prot()'s
 * PROT_EXEC as added (neither internal mount is noexec).  Recorded only.  Included by
 * observe_trace.bpf.c.
 */
#ifndef CANISTER_MODEL_OBSERVE_SHMAT_TRACE_BPF_H
#define CANISTER_MODEL_OBSERVE_SHMAT_TRACE_BPF_H

#include "exec_memory.bpf.h"
#include "observe_objects.bpf.h"

/* include/uapi/linux/shm.h, include/uapi/asm-generic/mman-common.h */
#define CN_SHM_RDONLY 010000
#define CN_SHM_EXEC 0100000
#define CN_MAP_FIXED 0x10
#define CN_MAX_ERRNO 4095

/* What the exit needs of the entry, per thread. */
struct shmat_entry {
	__u32 fixed, shmflg;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64); /* pid_tgid: the thread */
	__type(value, struct shmat_entry);
} model_shmat_entries SEC(".maps");

/*
 * Every attach maps with PROT_READ, so under READ_IMPLIES_EXEC every one
 * may be executable; otherwise only SHM_EXEC's (at once: most attaches).
 */
SEC("tp/syscalls/sys_enter_shmat")
int mmap_file_shmat_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 thread = bpf_get_current_pid_tgid(), contid;
	struct shmat_entry entry;

	entry.shmflg = (__u32)ctx->args[2];
	entry.fixed = ctx->args[1] != 0;
	if (!(entry.shmflg & CN_SHM_EXEC) && !read_implies_exec())
		return 0;
	if (!current_wanted(&contid))
		return 0;
	if (bpf_map_update_elem(&model_shmat_entries, &thread, &entry, BPF_ANY))
		model_count(CANISTER_MODEL_OBS_STASH_FULL);
	return 0;
}

/* The protection mmap_prot() applied to the attached mapping's file. */
struct shmat_vma {
	__u32 reqprot, prot;
};

static long shmat_vma_of(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct file *file = BPF_CORE_READ(vma, vm_file);
	struct shmat_vma *m = data;

	m->prot = mmap_applied_prot(file, m->reqprot);
	return 0;
}

SEC("tp/syscalls/sys_exit_shmat")
int mmap_file_shmat_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 thread = bpf_get_current_pid_tgid();
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mmap *record;
	struct shmat_entry *entry, saved;
	struct shmat_vma m;
	long ret = ctx->ret;

	entry = bpf_map_lookup_elem(&model_shmat_entries, &thread);
	if (!entry)
		return 0;
	saved = *entry;
	bpf_map_delete_elem(&model_shmat_entries, &thread);
	if (ret < 0 && ret >= -CN_MAX_ERRNO)
		return 0;
	m.reqprot = CN_PROT_READ | ((saved.shmflg & CN_SHM_RDONLY) ? 0 : CN_PROT_WRITE) |
		    ((saved.shmflg & CN_SHM_EXEC) ? CN_PROT_EXEC : 0);
	/* Unless the lookup says otherwise: what a segment's file gets (not noexec). */
	m.prot = mmap_applied_prot(NULL, m.reqprot);
	bpf_find_vma(task, (__u64)ret, shmat_vma_of, &m, 0);
	if (!(m.prot & CN_PROT_EXEC))
		return 0;
	record = reserve(CANISTER_MODEL_OBS_MMAP, struct canister_model_obs_mmap, &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->anonymous, 0, sizeof(*record) - sizeof(record->head));
	record->reqprot = m.reqprot;
	record->prot = m.prot;
	record->flags = CN_MAP_SHARED | (saved.fixed ? CN_MAP_FIXED : 0);
	record->anonymous = 1;
	record->fd = -1;
	record_submit(record, wanted);
	return 0;
}

#endif
