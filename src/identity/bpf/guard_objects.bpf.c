// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode only; keeps labelled processes off canister's BPF objects, pins and code. */
#include "guard_deny.bpf.h"
#include "maps.bpf.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * The hooks' prototypes are those of Linux 6.1 (the trailing int is the
 * verdict of the BPF LSM programs before this one, kept when it refuses).
 */

/* Set by canisterd before load. */
const volatile __u32 pins_dev;	       /* s_dev of the bpffs that holds the pins */
const volatile __u32 canisterd_mnt_ns; /* canisterd's mount namespace (inode number) */
const volatile bool
	setattr_idmap_first; /* inode_setattr(idmap, dentry, attr), not (dentry, attr) */

/* Every id of every canister object, and the pin directory's inodes; canisterd fills it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_MAX_GUARDED);
	__type(key, struct canister_guarded);
	__type(value, __u32);
} guarded SEC(".maps");

static __always_inline bool is_guarded(__u32 kind, __u64 id)
{
	struct canister_guarded key = { .kind = kind, .id = id };

	return bpf_map_lookup_elem(&guarded, &key) != NULL;
}

/*
 * Refuses @hook if the caller is labelled (@in_container: and in a container,
 * not a delegated orchestrator on the host): counted, and recorded with its
 * container.
 */
static __always_inline int deny_if_labelled(__u32 hook, bool in_container)
{
	struct canister_label *label;
	__u32 tgid;

	label = current_label(&tgid);
	if (!label || (in_container && label->contid == CANISTER_CONTID_UNSET))
		return 0;
	return deny(tgid, 0, hook, label->contid);
}

static __always_inline int deny_labelled(__u32 hook)
{
	return deny_if_labelled(hook, false);
}

/*
 * What a container must not do, but a delegated orchestrator on the host does
 * as its daily work: mounts in the host's mount namespace (podman's
 * overlays), BPF programs (runc's cgroup device filters), modules.
 */
static __always_inline int deny_container(__u32 hook)
{
	return deny_if_labelled(hook, true);
}

/* Checked before the label: the common case (another filesystem) costs one compare. */
static __always_inline bool inode_guarded(struct inode *inode, bool names_too)
{
	__u64 ino;

	if (!inode || BPF_CORE_READ(inode, i_sb, s_dev) != pins_dev)
		return false;
	ino = BPF_CORE_READ(inode, i_ino);
	return is_guarded(CANISTER_GUARDED_TREE, ino) ||
	       (names_too && is_guarded(CANISTER_GUARDED_NAME, ino));
}

static __always_inline struct inode *dentry_inode(struct dentry *dentry)
{
	return dentry ? BPF_CORE_READ(dentry, d_inode) : NULL;
}

static __always_inline bool on_pins_fs(const struct path *path)
{
	return path && BPF_CORE_READ(path, dentry, d_sb, s_dev) == pins_dev;
}

/*
 * canisterd's mount namespace is the host's view of the pins, its socket and
 * its files: a labelled process changes nothing mounted there.  In a mount
 * namespace of its own a container mounts what it likes, except onto the
 * pins' bpffs (reachable there by a bind mount, or by propagation).
 */
static __always_inline bool in_canisterd_mnt_ns(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum) == canisterd_mnt_ns;
}

/* mount(2) flags that only change a mount's propagation type. */
#define MS_PROPAGATION (MS_SHARED_FLAG | MS_PRIVATE_FLAG | MS_SLAVE_FLAG | MS_UNBINDABLE_FLAG)
#define MS_UNBINDABLE_FLAG (1 << 17)
#define MS_PRIVATE_FLAG (1 << 18)
#define MS_SLAVE_FLAG (1 << 19)
#define MS_SHARED_FLAG (1 << 20)

/*
 * A mount with peers (a peer group id) propagates what is mounted on it or
 * unmounted from it to every peer, and the copies pass no LSM hook.  A
 * container that made a mount namespace of its own with unshare(CLONE_NEWNS)
 * and kept the host's shared mounts (as systemd makes them) would mount over
 * /sys or /run, or unmount /sys with its bpffs, in canisterd's namespace.
 */
static __always_inline bool mount_shared(struct vfsmount *mnt)
{
	struct mount *m;

	if (!mnt)
		return false;
	m = (struct mount *)((void *)mnt - bpf_core_field_offset(struct mount, mnt));
	return BPF_CORE_READ(m, mnt_group_id) != 0;
}

/*
 * 6.15 gave security_bpf() a fourth argument (bool kernel), so the previous
 * programs' verdict is not read here: BPF LSM stops at the first program that
 * refuses, so this one only ever runs after a 0.
 */
SEC("lsm/bpf")
int BPF_PROG(canister_guard_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	__u32 kind, id;

	switch (cmd) {
	case BPF_MAP_GET_FD_BY_ID:
		kind = CANISTER_GUARDED_MAP;
		id = BPF_CORE_READ(attr, map_id);
		break;
	case BPF_PROG_GET_FD_BY_ID:
		kind = CANISTER_GUARDED_PROG;
		id = BPF_CORE_READ(attr, prog_id);
		break;
	case BPF_LINK_GET_FD_BY_ID:
		/*
		 * Links have no object hook: by id is refused here, by pin on the
		 * inode.  Every link, not only the guarded ones: a link's id is
		 * known (ids count up) before canisterd can add it to the guarded
		 * map, and nothing a container does needs another's link.
		 */
		return deny_labelled(CANISTER_GUARD_BPF_ID);
	default:
		return 0;
	}
	if (!is_guarded(kind, id))
		return 0;
	return deny_labelled(CANISTER_GUARD_BPF_ID);
}

/* Every path to a map fd (by id, by pin, at creation) passes security_bpf_map(). */
SEC("lsm/bpf_map")
int BPF_PROG(canister_guard_bpf_map, struct bpf_map *map, fmode_t fmode, int ret)
{
	if (ret)
		return ret;
	if (!is_guarded(CANISTER_GUARDED_MAP, BPF_CORE_READ(map, id)))
		return 0;
	return deny_labelled(CANISTER_GUARD_BPF_MAP);
}

SEC("lsm/bpf_prog")
int BPF_PROG(canister_guard_bpf_prog, struct bpf_prog *prog, int ret)
{
	if (ret)
		return ret;
	if (!is_guarded(CANISTER_GUARDED_PROG, BPF_CORE_READ(prog, aux, id)))
		return 0;
	return deny_labelled(CANISTER_GUARD_BPF_PROG);
}

static __always_inline int guard_dir(struct inode *dir, __u32 hook)
{
	return inode_guarded(dir, false) ? deny_labelled(hook) : 0;
}

/* An entry named in @dir: the pin directory and its ancestors are named from outside it. */
static __always_inline int guard_entry(struct inode *dir, struct dentry *dentry, __u32 hook)
{
	if (inode_guarded(dentry_inode(dentry), true))
		return deny_labelled(hook);
	return guard_dir(dir, hook);
}

/*
 * No lookup, read, write or search in the pin directory: nothing beneath it
 * can be named, so no pin is opened (BPF_OBJ_GET), unlinked, renamed,
 * replaced or created there, whatever path or bind mount leads to it.
 */
SEC("lsm/inode_permission")
int BPF_PROG(canister_guard_inode_permission, struct inode *inode, int mask, int ret)
{
	return ret ?: guard_dir(inode, CANISTER_GUARD_PIN_ACCESS);
}

SEC("lsm/inode_unlink")
int BPF_PROG(canister_guard_inode_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ?: guard_entry(dir, dentry, CANISTER_GUARD_PIN_UNLINK);
}

SEC("lsm/inode_rmdir")
int BPF_PROG(canister_guard_inode_rmdir, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ?: guard_entry(dir, dentry, CANISTER_GUARD_PIN_UNLINK);
}

/* From or onto (a rename over, RENAME_EXCHANGE): either end replaces the pin path. */
SEC("lsm/inode_rename")
int BPF_PROG(canister_guard_inode_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry, int ret)
{
	return ret ?: guard_entry(old_dir, old_dentry, CANISTER_GUARD_PIN_RENAME)
		   ?: guard_entry(new_dir, new_dentry, CANISTER_GUARD_PIN_RENAME);
}

SEC("lsm/inode_link")
int BPF_PROG(canister_guard_inode_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry, int ret)
{
	return ret ?: guard_entry(dir, old_dentry, CANISTER_GUARD_PIN_LINK);
}

/* BPF_OBJ_PIN creates its inode through security_inode_create() too. */
SEC("lsm/inode_create")
int BPF_PROG(canister_guard_inode_create, struct inode *dir, struct dentry *dentry, umode_t mode,
	     int ret)
{
	return ret ?: guard_dir(dir, CANISTER_GUARD_PIN_CREATE);
}

SEC("lsm/inode_mkdir")
int BPF_PROG(canister_guard_inode_mkdir, struct inode *dir, struct dentry *dentry, umode_t mode,
	     int ret)
{
	return ret ?: guard_dir(dir, CANISTER_GUARD_PIN_CREATE);
}

SEC("lsm/inode_symlink")
int BPF_PROG(canister_guard_inode_symlink, struct inode *dir, struct dentry *dentry,
	     const char *old_name, int ret)
{
	return ret ?: guard_dir(dir, CANISTER_GUARD_PIN_CREATE);
}

/*
 * Later kernels put the mount's idmap first ((idmap, dentry, attr) against
 * 6.1's (dentry, attr)); canisterd reads the hook's arguments from the
 * running kernel's BTF and says which before load.  The verdict of earlier
 * programs is not read (see canister_guard_bpf).  asm keeps clang from
 * turning the two constant-offset loads into one at a computed offset.
 */
SEC("lsm/inode_setattr")
int canister_guard_inode_setattr(unsigned long long *ctx)
{
	struct dentry *dentry;

	if (setattr_idmap_first)
		asm volatile("%0 = *(u64 *)(%1 + 8)" : "=r"(dentry) : "r"(ctx));
	else
		asm volatile("%0 = *(u64 *)(%1 + 0)" : "=r"(dentry) : "r"(ctx));
	return guard_entry(NULL, dentry, CANISTER_GUARD_PIN_SETATTR);
}

/* mount(2) in every flavour: new, bind, move, remount, propagation change. */
SEC("lsm/sb_mount")
int BPF_PROG(canister_guard_sb_mount, const char *dev_name, const struct path *path,
	     const char *type, unsigned long flags, void *data, int ret)
{
	if (ret)
		return ret;
	if (on_pins_fs(path))
		return deny_labelled(CANISTER_GUARD_MOUNT);
	if (!in_canisterd_mnt_ns()) {
		/* make-private, make-rslave and the like: what runtimes do first. */
		if (flags & MS_PROPAGATION || !mount_shared(BPF_CORE_READ(path, mnt)))
			return 0;
	}
	return deny_container(CANISTER_GUARD_MOUNT);
}

/*
 * fspick(2) + fsconfig(FSCONFIG_CMD_RECONFIGURE) reach a superblock without
 * sb_mount: the pins' bpffs from anywhere, any other from canisterd's mount
 * namespace (a superblock's flags hold in every namespace that mounts it).
 */
SEC("lsm/sb_remount")
int BPF_PROG(canister_guard_sb_remount, struct super_block *sb, void *mnt_opts, int ret)
{
	if (ret)
		return ret;
	if (BPF_CORE_READ(sb, s_dev) == pins_dev)
		return deny_labelled(CANISTER_GUARD_MOUNT);
	if (!in_canisterd_mnt_ns())
		return 0;
	return deny_container(CANISTER_GUARD_MOUNT);
}

SEC("lsm/move_mount")
int BPF_PROG(canister_guard_move_mount, const struct path *from_path, const struct path *to_path,
	     int ret)
{
	if (ret)
		return ret;
	if (on_pins_fs(from_path) || on_pins_fs(to_path))
		return deny_labelled(CANISTER_GUARD_MOVE_MOUNT);
	if (!in_canisterd_mnt_ns() && !mount_shared(BPF_CORE_READ(to_path, mnt)))
		return 0;
	return deny_container(CANISTER_GUARD_MOVE_MOUNT);
}

SEC("lsm/sb_umount")
int BPF_PROG(canister_guard_sb_umount, struct vfsmount *mnt, int flags, int ret)
{
	if (ret)
		return ret;
	if (BPF_CORE_READ(mnt, mnt_sb, s_dev) == pins_dev)
		return deny_labelled(CANISTER_GUARD_UMOUNT);
	if (!in_canisterd_mnt_ns() && !mount_shared(mnt))
		return 0;
	return deny_container(CANISTER_GUARD_UMOUNT);
}

SEC("lsm/sb_pivotroot")
int BPF_PROG(canister_guard_sb_pivotroot, const struct path *old_path, const struct path *new_path,
	     int ret)
{
	if (ret)
		return ret;
	if (!in_canisterd_mnt_ns())
		return 0;
	return deny_container(CANISTER_GUARD_PIVOT_ROOT);
}

/*
 * mount_setattr(2) changes a mount's flags (read-only, noexec, idmapped, its
 * propagation) and passes no LSM hook: a container in canisterd's mount
 * namespace would make /var/log or /run read-only under canisterd, and its
 * records would stop.  Its one check that an LSM sees is may_mount()'s
 * CAP_SYS_ADMIN over the caller's mount namespace, told apart from every other
 * CAP_SYS_ADMIN check by the system call in progress (the number is the same
 * for 64-bit and 32-bit callers: it is one of the unified ones).  A container
 * in a mount namespace of its own reaches only its own mounts: the kernel
 * refuses an attached mount of another namespace.
 */
#define CAP_SYS_ADMIN 21
#define NR_MOUNT_SETATTR 442
#define X32_SYSCALL_BIT 0x40000000

SEC("lsm/capable")
int BPF_PROG(canister_guard_mount_setattr, const struct cred *cred, struct user_namespace *ns,
	     int cap, unsigned int opts, int ret)
{
	struct task_struct *task;
	struct pt_regs *regs;
	long nr;

	if (ret || cap != CAP_SYS_ADMIN)
		return ret;
	task = bpf_get_current_task_btf();
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	nr = BPF_CORE_READ(regs, orig_ax) & ~X32_SYSCALL_BIT;
	if (nr != NR_MOUNT_SETATTR || !in_canisterd_mnt_ns())
		return 0;
	return deny_container(CANISTER_GUARD_MOUNT_SETATTR);
}

static __always_inline __u32 read_file_hook(int id)
{
	if (id == READING_MODULE)
		return CANISTER_GUARD_MODULE;
	if (id == READING_KEXEC_IMAGE || id == READING_KEXEC_INITRAMFS)
		return CANISTER_GUARD_KEXEC;
	if (id == READING_POLICY)
		return CANISTER_GUARD_KERNEL_POLICY;
	return 0; /* firmware and certificates: the kernel's own reads */
}

static __always_inline __u32 load_data_hook(int id)
{
	if (id == LOADING_MODULE)
		return CANISTER_GUARD_MODULE;
	if (id == LOADING_KEXEC_IMAGE || id == LOADING_KEXEC_INITRAMFS)
		return CANISTER_GUARD_KEXEC;
	if (id == LOADING_POLICY)
		return CANISTER_GUARD_KERNEL_POLICY;
	return 0;
}

/* finit_module(2), kexec_file_load(2), a policy written by path. */
SEC("lsm/kernel_read_file")
int BPF_PROG(canister_guard_kernel_read_file, struct file *file, enum kernel_read_file_id id,
	     bool contents, int ret)
{
	__u32 hook;

	if (ret)
		return ret;
	hook = read_file_hook(id);
	return hook ? deny_container(hook) : 0;
}

/* init_module(2), kexec_load(2): the image comes from a buffer. */
SEC("lsm/kernel_load_data")
int BPF_PROG(canister_guard_kernel_load_data, enum kernel_load_data_id id, bool contents, int ret)
{
	__u32 hook;

	if (ret)
		return ret;
	hook = load_data_hook(id);
	return hook ? deny_container(hook) : 0;
}
