// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: lsm mode: the TCP bind/connect ports, the capability bound and
 * the file create and remove rights of every container's held access
 * policy, decided in the kernel, with or without canisterd; and the mounts
 * a policy with file rights refuses (access_mount.bpf.h).
 */
#include "../../identity/bpf/pending.bpf.h"
/* The file rules' walk, with the inode marks it reads: this object's alone. */
#define CANISTER_ACCESS_FS_WALK
#include "access_maps.bpf.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define EACCES 13
#define CN_F_GETFD 1
#define CN_MSG_FASTOPEN 0x20000000

/*
 * The current process's decision on @right and @object: 0, or @error when a
 * level of its chain enforces a refusal; every refusal counted and reported
 * (@autobind: a listen()'s bind to port 0).  Host processes (canisterd too)
 * and delegated orchestrators outside containers have no chain: never
 * decided.
 */
static __always_inline int decide(__u32 right, __u32 object, bool autobind, int error)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = task_label(bpf_get_current_task_btf(), tgid);

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	return judge_and_report(label->contid, tgid, right, object, false, autobind) ? error : 0;
}

/*
 * A TCP port bound or connected to, as Landlock's net rights mean it (the
 * kinds of socket and address access_maps.bpf.h names).  Too short an
 * address the kernel refuses itself.
 */
static __always_inline int net_decide(struct socket *sock, struct sockaddr *address, int addrlen,
				      __u32 right)
{
	__be16 port;

	if (!tcp_socket(sock) || addrlen < (int)(sizeof(__u16) + sizeof(port)))
		return 0;
	if (!port_address(BPF_CORE_READ(address, sa_family), right))
		return 0;
	/* sin_port and sin6_port both follow the family. */
	port = BPF_CORE_READ((struct sockaddr_in *)address, sin_port);
	return decide(right, bpf_ntohs(port), false, -EACCES);
}

SEC("lsm/socket_bind")
int BPF_PROG(canister_access_bind, struct socket *sock, struct sockaddr *address, int addrlen,
	     int ret)
{
	if (ret)
		return ret;
	return net_decide(sock, address, addrlen, CANISTER_ACCESS_LSM_BIND);
}

SEC("lsm/socket_connect")
int BPF_PROG(canister_access_connect, struct socket *sock, struct sockaddr *address, int addrlen,
	     int ret)
{
	if (ret)
		return ret;
	return net_decide(sock, address, addrlen, CANISTER_ACCESS_LSM_CONNECT);
}

/*
 * listen() on a TCP socket never bound takes an ephemeral port in
 * inet_csk_get_port(), past socket_bind: decided as the bind to port 0 it
 * is, the same answer, errno, record and counts as bind() to port 0 gets
 * (a policy handling bind grants it by granting port 0, as Landlock's rule
 * for port 0 grants bind() the ephemeral range), reported as an autobind.
 * The hook runs before inet_listen()'s own checks: a socket it would refuse
 * as connected or connecting has its port already and is not decided here.
 */
SEC("lsm/socket_listen")
int BPF_PROG(canister_access_autobind, struct socket *sock, int backlog, int ret)
{
	if (ret || !listen_autobinds(sock))
		return ret;
	return decide(CANISTER_ACCESS_LSM_BIND, 0, true, -EACCES);
}

/*
 * TCP Fast Open: sendto() or sendmsg() with MSG_FASTOPEN and an address
 * connects without a connect() (tcp_sendmsg_fastopen()), so without
 * socket_connect: decided here as the connect it is.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(canister_access_fastopen, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	struct sockaddr *address;

	if (ret || !(BPF_CORE_READ(msg, msg_flags) & CN_MSG_FASTOPEN))
		return ret;
	address = BPF_CORE_READ(msg, msg_name);
	if (!address)
		return 0;
	return net_decide(sock, address, BPF_CORE_READ(msg, msg_namelen),
			  CANISTER_ACCESS_LSM_CONNECT);
}

/*
 * The capability check itself, whatever the process's sets hold: a
 * capability outside the bound of a level is refused even to a container's
 * root.  Only checks of the current process's own credentials (the
 * has_capability() family checks another task's, file_ns_capable() an
 * opener's): the label is the current process's.
 */
SEC("lsm/capable")
int BPF_PROG(canister_access_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (ret)
		return ret;
	if (cap < 0 || cap > 63 || cred != task->cred)
		return 0;
	return decide(CANISTER_ACCESS_LSM_CAPABLE, (__u32)cap, false, -EPERM);
}

/*
 * The path's last components into @report, innermost first, from @dentry
 * (in @mnt) up, mount points crossed as the decision's walk crosses them.
 */
static __always_inline void fs_names(struct canister_access_lsm_fs_report *report,
				     struct vfsmount *mnt, struct dentry *dentry)
{
	report->parts = 0;
	report->whole = 0;
	for (int i = 0; i < CANISTER_ACCESS_LSM_FS_PARTS; i++) {
		const unsigned char *name;
		struct dentry *parent;

		/* A mount's root is named by its mount point; the namespace's root by nothing. */
		if (!access_fs_climb(&mnt, &dentry)) {
			report->whole = 1;
			return;
		}
		name = BPF_CORE_READ(dentry, d_name.name);
		if (bpf_probe_read_kernel_str(report->names[i], sizeof(report->names[i]), name) < 0)
			report->names[i][0] = '\0';
		report->parts = i + 1;
		parent = BPF_CORE_READ(dentry, d_parent);
		if (!parent || parent == dentry)
			return;
		dentry = parent;
	}
	/* Exactly as deep as the parts: the next climb says whether the root is reached. */
	if (!access_fs_climb(&mnt, &dentry))
		report->whole = 1;
}

/*
 * Counts the refusal @base describes (its comm aside) and reports it with
 * the path at @dentry in @mnt and @ino, the inode the record keeps.
 */
static __always_inline void fs_report(const struct canister_access_lsm_report *base, __u64 ino,
				      struct vfsmount *mnt, struct dentry *dentry)
{
	struct canister_access_lsm_fs_report *report;

	count(base->denied ? CANISTER_ACCESS_LSM_DENIED : CANISTER_ACCESS_LSM_COMPLAINED);
	report = bpf_ringbuf_reserve(&access_reports, sizeof(*report), 0);
	if (!report) {
		count(CANISTER_ACCESS_LSM_LOST);
		return;
	}
	report->base = *base;
	bpf_get_current_comm(report->base.comm, sizeof(report->base.comm));
	report->ino = ino;
	fs_names(report, mnt, dentry);
	bpf_ringbuf_submit(report, 0);
}

/*
 * The current process's decision on creating (@right CANISTER_ACCESS_LSM_CREATE,
 * @dentry a new name in @dir) or removing (_REMOVE, @dentry the file in
 * @dir): 0, or -EPERM when a level of its chain enforces a refusal; every
 * refusal counted and reported with the path.
 */
static __noinline int fs_decide(const struct path *dir, struct dentry *dentry, __u32 right)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = task_label(bpf_get_current_task_btf(), tgid);
	struct access_fs_start start;
	struct dentry *from;
	bool enforce;
	__u64 by;

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	start.mnt = BPF_CORE_READ(dir, mnt);
	/*
	 * A new name has no inode yet: its directory decides; a removal, the file
	 * and up.  Typed pointers (not read through a helper): the walk reads
	 * their inodes' marks.
	 */
	from = right == CANISTER_ACCESS_LSM_CREATE ? dir->dentry : dentry;
	start.dentry = from;
	if (!refusing_level(label->contid, right, 0, &start, &by, &enforce))
		return 0;
	fs_report(&(struct canister_access_lsm_report){ .contid = label->contid,
							.by = by,
							.tgid = tgid,
							.right = right,
							.denied = enforce },
		  BPF_CORE_READ(from, d_inode, i_ino), BPF_CORE_READ(dir, mnt), dentry);
	return enforce ? -EPERM : 0;
}

#include "access_mount.bpf.h"

/* open(O_CREAT) of a new file comes here too (may_o_create()), as mknod(2) and a fifo do. */
SEC("lsm/path_mknod")
int BPF_PROG(canister_access_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
{
	return ret ? ret : fs_decide(dir, dentry, CANISTER_ACCESS_LSM_CREATE);
}

SEC("lsm/path_mkdir")
int BPF_PROG(canister_access_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode,
	     int ret)
{
	return ret ? ret : fs_decide(dir, dentry, CANISTER_ACCESS_LSM_CREATE);
}

SEC("lsm/path_symlink")
int BPF_PROG(canister_access_symlink, const struct path *dir, struct dentry *dentry,
	     const char *old_name, int ret)
{
	return ret ? ret : fs_decide(dir, dentry, CANISTER_ACCESS_LSM_CREATE);
}

/* A hard link is a new name where it is made. */
SEC("lsm/path_link")
int BPF_PROG(canister_access_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, int ret)
{
	return ret ? ret : fs_decide(new_dir, new_dentry, CANISTER_ACCESS_LSM_CREATE);
}

SEC("lsm/path_unlink")
int BPF_PROG(canister_access_unlink, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : fs_decide(dir, dentry, CANISTER_ACCESS_LSM_REMOVE);
}

SEC("lsm/path_rmdir")
int BPF_PROG(canister_access_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : fs_decide(dir, dentry, CANISTER_ACCESS_LSM_REMOVE);
}

#define CN_RENAME_EXCHANGE (1 << 1)

/*
 * A rename removes the name where it was and makes one where it goes;
 * renaming over a file removes that one too; an exchange does both on both
 * sides.
 */
SEC("lsm/path_rename")
int BPF_PROG(canister_access_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags, int ret)
{
	bool exchange = flags & CN_RENAME_EXCHANGE;

	if (ret)
		return ret;
	ret = fs_decide(old_dir, old_dentry, CANISTER_ACCESS_LSM_REMOVE);
	if (!ret)
		ret = fs_decide(new_dir, new_dentry, CANISTER_ACCESS_LSM_CREATE);
	if (!ret && BPF_CORE_READ(new_dentry, d_inode))
		ret = fs_decide(new_dir, new_dentry, CANISTER_ACCESS_LSM_REMOVE);
	if (!ret && exchange)
		ret = fs_decide(old_dir, old_dentry, CANISTER_ACCESS_LSM_CREATE);
	return ret;
}

/*
 * Marks the inode of an O_PATH fd canisterd holds, on its request: canisterd
 * writes a request under its own thread's id in access_fs_binding (a map no
 * other process may write: the guard's), then calls fcntl(fd, F_GETFD,
 * CANISTER_ACCESS_LSM_FS_BIND_COOKIE), which reaches this hook on an O_PATH
 * fd without a call into the filesystem (a container's FUSE server cannot
 * hold canisterd here).  The answer is the inode's own identity, the key of
 * its rules.  Any other fcntl, or one by another thread, is left alone.
 */
SEC("lsm/file_fcntl")
int BPF_PROG(canister_access_fs_bind, struct file *file, unsigned int cmd, unsigned long arg,
	     int ret)
{
	struct canister_access_lsm_fs_binding *request;
	struct canister_access_lsm_fs_inode id = {};
	struct canister_access_lsm_fs_mark *mark;
	__u64 thread = bpf_get_current_pid_tgid();
	struct super_block *sb;
	struct inode *inode;

	if (ret || cmd != CN_F_GETFD || arg != CANISTER_ACCESS_LSM_FS_BIND_COOKIE)
		return ret;
	request = bpf_map_lookup_elem(&access_fs_binding, &thread);
	if (!request || request->done)
		return 0;
	inode = file->f_inode;
	if (!inode)
		return 0;
	sb = inode->i_sb;
	id.ino = inode->i_ino;
	id.dev = sb->s_dev;
	/* Its filesystem's epoch first: an eviction is remembered under it. */
	if (!access_fs_sb_epoch((__u64)sb, true) || !access_fs_inode_is(&id, inode))
		return 0;
	mark = bpf_inode_storage_get(&access_fs_marks, inode, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!mark)
		return 0;
	mark->ino = id.ino;
	mark->dev = id.dev;
	/* Bound again: no longer one of the evicted. */
	access_fs_unevict(&id);
	request->ino = id.ino;
	request->dev = id.dev;
	request->done = 1;
	return 0;
}

/*
 * An inode object goes (before BPF's own storage is freed, the hook after
 * this one).  A marked one still linked, on a filesystem still mounted
 * (s_active: unmounting frees every inode, and the filesystem's numbers
 * mean nothing after), was evicted from the cache: remembered, so that the
 * walk meeting it read back marks it again.  An unlinked inode leaves the
 * evicted ones: its number is free for another file.  A void hook.
 */
SEC("lsm/inode_free_security")
int BPF_PROG(canister_access_fs_evict, struct inode *inode)
{
	struct canister_access_lsm_fs_inode id = {};
	struct canister_access_lsm_fs_mark *mark;
	struct super_block *sb;
	__u64 *counter, epoch;

	if (!inode)
		return 0;
	sb = inode->i_sb;
	mark = bpf_inode_storage_get(&access_fs_marks, inode, 0, 0);
	if (!mark) {
		counter = access_fs_state_slot(CANISTER_ACCESS_LSM_FS_EVICTED);
		if (counter && *counter && !inode->i_nlink) {
			id.ino = inode->i_ino;
			id.dev = sb->s_dev;
			access_fs_unevict(&id);
		}
		return 0;
	}
	id.ino = mark->ino;
	id.dev = mark->dev;
	/* This object is no longer the marked one (its address may be another inode's soon). */
	(void)bpf_map_delete_elem(&access_fs_inodes, &id);
	if (!inode->i_nlink || sb->s_active.counter <= 0)
		return 0;
	epoch = access_fs_sb_epoch((__u64)sb, false);
	if (!epoch)
		return 0;
	if (bpf_map_update_elem(&access_fs_evicted, &id, &epoch, BPF_NOEXIST) == 0) {
		counter = access_fs_state_slot(CANISTER_ACCESS_LSM_FS_EVICTED);
		if (counter)
			__sync_fetch_and_add(counter, 1);
	} else if (!bpf_map_lookup_elem(&access_fs_evicted, &id)) {
		counter = access_fs_state_slot(CANISTER_ACCESS_LSM_FS_UNKEPT);
		if (counter)
			__sync_fetch_and_add(counter, 1);
	}
	return 0;
}

/* A superblock goes: its epoch with it (what was evicted from it never matches again). */
SEC("lsm/sb_free_security")
int BPF_PROG(canister_access_fs_sb_gone, struct super_block *sb)
{
	__u64 key = (__u64)sb;

	(void)bpf_map_delete_elem(&access_fs_sbs, &key);
	return 0;
}
