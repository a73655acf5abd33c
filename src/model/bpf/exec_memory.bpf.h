/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: what the executable-memory events (mmap_file,
 * file_mprotect) take from a mapping in both modes, so that lsm mode's hook
 * and trace mode's tracepoint hash the same CELL: whether its memory is
 * anonymous, and the protection mmap applies (docs/model.md, "mmap with
 * PROT_EXEC in the kernel", "mprotect adding PROT_EXEC").
 */
#ifndef CANISTER_MODEL_EXEC_MEMORY_BPF_H
#define CANISTER_MODEL_EXEC_MEMORY_BPF_H

#include "../../identity/bpf/mount_flags.bpf.h"
#include "observe.bpf.h"

/*
 * include/uapi/asm-generic/mman-common.h, include/uapi/linux/mman.h,
 * include/linux/mm.h, include/uapi/linux/personality.h,
 * include/linux/mount.h, include/linux/fs.h, include/uapi/linux/magic.h
 */
#define CN_PROT_READ 0x1
#define CN_PROT_WRITE 0x2
#define CN_PROT_EXEC 0x4
#define CN_MAP_SHARED 0x01
#define CN_MAP_SHARED_VALIDATE 0x03
#define CN_MAP_TYPE 0x0f
#define CN_VM_WRITE 0x2
#define CN_VM_SHARED 0x8
#define CN_READ_IMPLIES_EXEC 0x0400000
#define CN_SB_I_NOEXEC 0x2
#define CN_TMPFS_MAGIC 0x01021994
#define CN_S_IFMT 00170000
#define CN_S_IFCHR 0020000
#define CN_DEV_ZERO ((1U << 20) | 5) /* MKDEV(MEM_MAJOR, 5): drivers/char/mem.c's zero */

/*
 * Whether a mapping of @file (NULL: none) is anonymous memory: no file, or
 * memory the kernel gave a file of its own on one of its internal mounts
 * (MNT_INTERNAL), which no path in any mount namespace reaches: shared
 * anonymous memory (shmem_zero_setup(), after the mmap hook: its mprotect sees
 * the file), a shared mapping of /dev/zero, a memfd and SysV shm (shmem),
 * hugetlbfs memory, and any other internal filesystem's (anon_inodefs, a
 * driver's buffers, memfd_secret): a file CELL names nothing there; or
 * /dev/zero itself (the mmap hook's file; a private mapping of it is
 * anonymous memory keeping the device as its file).  A JIT's payload gets
 * the same executable memory from each, so each is judged as the private
 * anonymous mapping is.  A file on a tmpfs a user mounted (no MNT_INTERNAL)
 * stays a file.
 */
static __always_inline bool memory_anonymous(struct file *file)
{
	struct inode *inode;
	struct vfsmount *mnt;

	if (!file)
		return true;
	inode = BPF_CORE_READ(file, f_inode);
	if ((BPF_CORE_READ(inode, i_mode) & CN_S_IFMT) == CN_S_IFCHR &&
	    BPF_CORE_READ(inode, i_rdev) == CN_DEV_ZERO)
		return true;
	mnt = BPF_CORE_READ(file, f_path.mnt);
	return (BPF_CORE_READ(mnt, mnt_flags) & CN_MNT_INTERNAL) != 0;
}

/*
 * Whether mmap(2) of @file (NULL: none) with @flags, applied protection
 * @prot (READ_IMPLIES_EXEC's PROT_EXEC included: mmap_applied_prot()), is
 * anonymous memory: memory_anonymous(), or a private mapping of a file
 * that is writable and executable at once.  Its pages are the file's only
 * until written: code written into the copy-on-write copy runs from
 * memory no file holds, as a JIT's does (docs/model.md, "Anonymous
 * memory").  A shared mapping writes the file itself, and stays a file.
 */
static __always_inline bool mmap_memory_anonymous(struct file *file, __u32 prot, __u32 flags)
{
	__u32 type = flags & CN_MAP_TYPE;

	if (memory_anonymous(file))
		return true;
	return type != CN_MAP_SHARED && type != CN_MAP_SHARED_VALIDATE &&
	       (prot & (CN_PROT_WRITE | CN_PROT_EXEC)) == (CN_PROT_WRITE | CN_PROT_EXEC);
}

/*
 * Whether mprotect(2) of @vma to @prot (with PROT_EXEC) makes anonymous
 * memory executable: memory_anonymous() of its file, or a private mapping
 * of a file (no VM_SHARED) that is writable now (VM_WRITE), is made
 * writable by @prot, or has copied-on-write pages (an anon_vma: it was
 * written, then made read-only again), whose code no file holds.  A
 * private mapping that only may be written (VM_MAYWRITE, which every
 * private mapping has, even of a read-only descriptor) and never was
 * stays the file's: ld.so maps each library's text so.  The hook runs
 * before the change: @vma's flags are the old ones.
 */
static __always_inline bool vma_memory_anonymous(struct vm_area_struct *vma, __u32 prot)
{
	unsigned long vm_flags;

	if (memory_anonymous(BPF_CORE_READ(vma, vm_file)))
		return true;
	vm_flags = BPF_CORE_READ(vma, vm_flags);
	if (vm_flags & CN_VM_SHARED)
		return false;
	return (vm_flags & CN_VM_WRITE) || (prot & CN_PROT_WRITE) ||
	       BPF_CORE_READ(vma, anon_vma) != NULL;
}

/* Whether the current task's personality has READ_IMPLIES_EXEC. */
static __always_inline bool read_implies_exec(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return (BPF_CORE_READ(task, personality) & CN_READ_IMPLIES_EXEC) != 0;
}

/*
 * The protection mmap(2) applies to @reqprot for a mapping of @file (NULL:
 * anonymous), as security_mmap_file()'s mmap_prot() gives it to the LSM hook:
 * PROT_EXEC added to PROT_READ under the caller's READ_IMPLIES_EXEC
 * personality unless the file's mount or filesystem is noexec
 * (path_noexec()).  Trace mode derives it so; lsm mode's hook is given it.
 */
static __always_inline __u32 mmap_applied_prot(struct file *file, __u32 reqprot)
{
	struct vfsmount *mnt;

	if ((reqprot & (CN_PROT_READ | CN_PROT_EXEC)) != CN_PROT_READ || !read_implies_exec())
		return reqprot;
	if (file) {
		mnt = BPF_CORE_READ(file, f_path.mnt);
		if ((BPF_CORE_READ(mnt, mnt_flags) & CN_MNT_NOEXEC) ||
		    (BPF_CORE_READ(mnt, mnt_sb, s_iflags) & CN_SB_I_NOEXEC))
			return reqprot;
	}
	return reqprot | CN_PROT_EXEC;
}

#endif
