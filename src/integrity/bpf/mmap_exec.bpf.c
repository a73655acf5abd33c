// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode, integrity on: a labelled process's executable mapping of a file, with the
 * kernel's own digest of it, for MMAP_CHECK. */
#include "../../identity/bpf/pending.bpf.h"
#include "../mmap_event.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define PROT_EXEC 0x4

/* Set by canisterd before load: the kernel's verifier takes bpf_ima_file_hash(). */
const volatile bool kernel_hash = false;

/* Mappings not reported for want of room in the ring buffer; canisterd reads it. */
__u64 lost = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_MMAP_EVENTS_BYTES);
} mmap_events SEC(".maps");

/*
 * fanotify sees opens, not mappings: a library mapped PROT_EXEC (ld.so's
 * dlopen, an mmap of any readable file) is IMA's MMAP_CHECK and only this
 * hook sees it.  Sleepable (lsm.s) because bpf_ima_file_hash() and
 * bpf_d_path() may sleep (they read the file, take locks).  It reports and
 * never refuses: IMA's measure for MMAP_CHECK does not deny either, and the
 * mapping is made whatever canisterd does with the report.
 */
SEC("lsm.s/mmap_file")
int BPF_PROG(canister_mmap_exec, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct *task = bpf_get_current_task_btf();
	struct canister_mmap_event *event;
	struct canister_label *label;
	const struct cred *cred;
	struct inode *inode;

	if (ret || !file || !(prot & PROT_EXEC))
		return ret;
	label = task_label(task, tgid);
	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	event = bpf_ringbuf_reserve(&mmap_events, sizeof(*event), 0);
	if (!event) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	event->contid = label->contid;
	event->tgid = tgid;
	event->prot = (__u32)prot;
	inode = BPF_CORE_READ(file, f_inode);
	event->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	event->ino = BPF_CORE_READ(inode, i_ino);
	event->fsmagic = BPF_CORE_READ(inode, i_sb, s_magic);
	event->fowner = BPF_CORE_READ(inode, i_uid.val);
	BPF_CORE_READ_INTO(&event->fsuuid, inode, i_sb, s_uuid);
	/* Where the path below starts: canisterd resolves it there if the mapper is gone. */
	event->root_dev = BPF_CORE_READ(task, fs, root.mnt, mnt_sb, s_dev);
	event->root_ino = BPF_CORE_READ(task, fs, root.dentry, d_inode, i_ino);
	cred = BPF_CORE_READ(task, cred);
	event->uid = BPF_CORE_READ(cred, uid.val);
	event->euid = BPF_CORE_READ(cred, euid.val);
	event->suid = BPF_CORE_READ(cred, suid.val);
	/*
	 * kernel_cap_t is two u32 before 6.3 and one u64 after: the same eight
	 * bytes, low capabilities first, on a little-endian machine.
	 */
	event->cap_effective = 0;
	bpf_probe_read_kernel(&event->cap_effective, sizeof(event->cap_effective),
			      &cred->cap_effective);
	event->hash_algo = -95; /* EOPNOTSUPP */
	if (kernel_hash)
		event->hash_algo = bpf_ima_file_hash(file, event->digest, sizeof(event->digest));
	event->path_len =
		bpf_d_path((struct path *)&file->f_path, event->path, sizeof(event->path));
	bpf_ringbuf_submit(event, 0);
	return 0;
}
