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
/* Mappings not reported because no policy of the mapper's chain lists them. */
__u64 unlisted = 0;
/* Set by canisterd when it could not write mmap_lists whole: every mapping is reported. */
bool report_all = false;

/* Written by canisterd only: its mmap_watch.c mirrors what measure.c holds (mmap_event.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MMAP_POLICIES_MAX);
	__type(key, __u64);
	__type(value, __u32);
} mmap_lists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_MMAP_EVENTS_BYTES);
} mmap_events SEC(".maps");

/*
 * Whether some level of @contid's chain (the container, then each it nests
 * in: the containers map gives the parents) has a policy that can measure or
 * audit a mapping, its own or else the default, as measure.c matches them.
 * Hashing a file costs the mapper the whole file at every mapping (IMA keeps
 * no digest of a file its own policy never measured), so a container whose
 * chain lists no mapping must not pay it.  Anything unknown says yes: a chain
 * deeper than the walk, a level with neither entry, a map canisterd could not
 * write whole.  A level missing from the containers map (dropped meanwhile)
 * ends the chain there, as the judge's walk (measure.c) ends it.
 */
static __always_inline bool chain_lists_mappings(__u64 contid)
{
	__u64 default_key = CANISTER_MMAP_DEFAULT;

	if (report_all)
		return true;
	for (int depth = 0; depth < CANISTER_MMAP_NEST_MAX; depth++) {
		struct canister_container *container;
		__u32 *lists;

		if (contid == CANISTER_CONTID_UNSET)
			return false;
		lists = bpf_map_lookup_elem(&mmap_lists, &contid);
		if (!lists)
			lists = bpf_map_lookup_elem(&mmap_lists, &default_key);
		if (!lists || *lists)
			return true;
		container = bpf_map_lookup_elem(&containers, &contid);
		if (!container)
			return false;
		contid = container->parent;
	}
	return true;
}

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
	if (!chain_lists_mappings(label->contid)) {
		__sync_fetch_and_add(&unlisted, 1);
		return 0;
	}
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
