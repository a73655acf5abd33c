// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: lsm mode: a labelled process acts only on its own container's
 * processes and files (and those nested in it), grants aside.
 */
#include "isolation_reports.bpf.h"
#include "../../identity/bpf/cgroup_tree.bpf.h"
#include "../../identity/bpf/name_is.bpf.h"
#include "../../identity/bpf/proc_task.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1

/* Set by canisterd before load. */
const volatile __u32 canisterd_tgid;

#define FMODE_WRITE 0x2
#define MAY_EXEC 0x1
#define MAY_WRITE 0x2
#define MAY_ACCESS 0x10
/* A report's name is "DIR/FILE": each part at most this long (a power of two). */
#define CGROUP_NAME_PART 256
_Static_assert(2 * CGROUP_NAME_PART <= CANISTER_ISOLATION_NAME_MAX, "DIR/FILE fits a report");
#define CN_O_TRUNC 01000
/* The state of a task fork is still making (include/linux/sched.h). */
#define CN_TASK_NEW 0x0800

/* The container that created an inode; no entry: the host did, or it was there before. */
struct canister_isolation_creator {
	__u64 contid;
};

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_isolation_creator);
} isolation_creators SEC(".maps");

/*
 * Between inode_create (or mkdir, mknod) and the d_instantiate that gives
 * the new dentry its inode: the dentry a labelled task is creating, and its
 * container.  Task storage, as the two hooks run in the same task.
 */
struct canister_isolation_creating {
	__u64 dentry;
	__u64 contid;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_isolation_creating);
} isolation_creating SEC(".maps");

/* A denial, counted; its report to complete and submit, or NULL (the ring buffer is full). */
static __always_inline struct canister_isolation_report *denied(__u64 contid, __u32 tgid, __u32 uid,
								__u64 target_contid,
								__u32 target_tgid, __u32 target_uid,
								__u16 op)
{
	return isolation_report(contid, tgid, uid, target_contid, target_tgid, target_uid, op,
				false);
}

/* current's container and uid, or false for a host process (never restricted). */
static __always_inline bool subject(__u64 *ret_contid, __u32 *ret_uid, __u32 *ret_tgid)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = task_label(task, tgid);

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return false;
	*ret_contid = label->contid;
	*ret_uid = isolation_euid(task);
	*ret_tgid = tgid;
	return true;
}

/*
 * -EPERM when a labelled process may not change @inode (named @dentry),
 * created by another container, counted and reported as @op; else 0.
 */
static __always_inline int judge_file(struct inode *inode, struct dentry *dentry, struct path *path,
				      __u16 op)
{
	struct canister_isolation_creator *creator;
	struct canister_isolation_report *report;
	__u64 contid;
	__u32 uid, tgid, owner;

	if (!inode || !subject(&contid, &uid, &tgid))
		return 0;
	creator = bpf_inode_storage_get(&isolation_creators, inode, 0, 0);
	if (!creator)
		return 0;
	owner = BPF_CORE_READ(inode, i_uid.val);
	if (isolation_allows_object(contid, uid, creator->contid, owner))
		return 0;
	report = denied(contid, tgid, uid, creator->contid, 0, owner, op);
	if (!report)
		return -EPERM;
	report->ino = BPF_CORE_READ(inode, i_ino);
	/* A write's full path (file_open has the mount); a removal's name alone. */
	if ((!path || bpf_d_path(path, report->name, sizeof(report->name)) <= 0) &&
	    bpf_probe_read_kernel_str(report->name, sizeof(report->name),
				      BPF_CORE_READ(dentry, d_name.name)) < 0)
		report->name[0] = '\0';
	bpf_ringbuf_submit(report, 0);
	return -EPERM;
}

/*
 * -EPERM when current, labelled, may not act on @target, whose label is
 * @target_label (NULL: the host's), a process of another container than its
 * own or those nested in it, or the host's, grants aside: counted and
 * reported as @op with @detail; else 0.  @target is only read.
 */
static __always_inline int judge_labelled(struct task_struct *target,
					  struct canister_label *target_label, __u16 op,
					  __u16 detail)
{
	struct canister_isolation_report *report;
	__u32 uid, tgid, target_tgid, target_uid;
	__u64 contid, target_contid;

	if (!target || !subject(&contid, &uid, &tgid))
		return 0;
	target_tgid = BPF_CORE_READ(target, tgid);
	/*
	 * canisterd and its helpers are identity's guard's to refuse (and to
	 * record, which it does only if nothing refused before it), grants or
	 * not: host-admin is no licence to stop canister.
	 */
	if (canisterd_tgid && (target_tgid == canisterd_tgid ||
			       BPF_CORE_READ(target, real_parent, tgid) == canisterd_tgid))
		return 0;
	if (target_tgid == tgid)
		return 0;
	target_contid = target_label ? target_label->contid : CANISTER_CONTID_UNSET;
	target_uid = isolation_euid(target);
	if (isolation_allows_object(contid, uid, target_contid, target_uid))
		return 0;
	report = denied(contid, tgid, uid, target_contid, target_tgid, target_uid, op);
	if (report) {
		report->sig = detail;
		bpf_ringbuf_submit(report, 0);
	}
	return -EPERM;
}

/* judge_labelled() for @target as a hook gives it (a pointer the kernel vouches for). */
static __always_inline int judge_process(struct task_struct *target, __u16 op, __u16 detail)
{
	/*
	 * A task fork is still making has no label yet: clone3's
	 * CLONE_INTO_CGROUP has the kernel check the caller's right to move
	 * its own child into a cpuset (task_setscheduler) before the child is
	 * labelled, which would be taken for the host's process.
	 */
	if (!target || (BPF_CORE_READ(target, __state) & CN_TASK_NEW))
		return 0;
	return judge_labelled(target, task_label(target, target->tgid), op, detail);
}

/*
 * judge_labelled() for the process of a /proc/PID file: a pointer found by
 * reading kernel memory, which task storage does not take, so its label is
 * looked up by pid alone: a process whose label is still pending (forked a
 * moment ago, not yet moved into the labels map) is taken for the host's,
 * which errs toward refusing.
 */
static __always_inline int judge_proc_file(struct inode *inode)
{
	struct task_struct *target = proc_file_task(inode);
	__u32 target_tgid;

	if (!target)
		return 0;
	target_tgid = BPF_CORE_READ(target, tgid);
	return judge_labelled(target, bpf_map_lookup_elem(&labels, &target_tgid),
			      CANISTER_ISOLATION_OP_CONTROL, CANISTER_ISOLATION_CONTROL_PROC_WRITE);
}

/*
 * Every signal a process sends through kill(2), tkill, tgkill, rt_sigqueueinfo,
 * or pidfd_send_signal passes here (the kernel's own SIGCHLD and SIGPIPE do
 * not; an async-I/O signal neither: canister_isolation_sigio below).  Signal 0 included: it tells
 * whether another container's pid exists, which is already more than isolation lets a container
 * learn.  @cred is set only for a USB asynchronous I/O completion, sent on behalf of the process
 * that submitted it, not by current: left to the kernel's own check.
 */
SEC("lsm/task_kill")
int BPF_PROG(canister_isolation_kill, struct task_struct *target, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	if (ret || cred)
		return ret;
	return judge_process(target, CANISTER_ISOLATION_OP_SIGNAL, (__u16)sig);
}

/*
 * Controls of another process that end or starve it without a signal of the
 * sender's: RLIMIT_CPU or RLIMIT_FSIZE make the kernel send SIGKILL, SIGXCPU
 * or SIGXFSZ, a lowered RLIMIT_NOFILE or RLIMIT_AS starves it, and priority,
 * scheduling policy, CPU affinity and page placement slow it at will.  The
 * kernel passes the target (prlimit's: its thread group leader); a process's
 * changes to itself are its own.
 */
SEC("lsm/task_setrlimit")
int BPF_PROG(canister_isolation_setrlimit, struct task_struct *p, unsigned int resource,
	     struct rlimit *new_rlim, int ret)
{
	return ret ? ret
		   : judge_process(p, CANISTER_ISOLATION_OP_CONTROL,
				   CANISTER_ISOLATION_CONTROL_RLIMIT);
}

SEC("lsm/task_setnice")
int BPF_PROG(canister_isolation_setnice, struct task_struct *p, int nice, int ret)
{
	return ret ? ret
		   : judge_process(p, CANISTER_ISOLATION_OP_CONTROL,
				   CANISTER_ISOLATION_CONTROL_NICE);
}

SEC("lsm/task_setioprio")
int BPF_PROG(canister_isolation_setioprio, struct task_struct *p, int ioprio, int ret)
{
	return ret ? ret
		   : judge_process(p, CANISTER_ISOLATION_OP_CONTROL,
				   CANISTER_ISOLATION_CONTROL_IOPRIO);
}

/* sched_setscheduler, sched_setparam, sched_setattr, sched_setaffinity; a cpuset's move. */
SEC("lsm/task_setscheduler")
int BPF_PROG(canister_isolation_setscheduler, struct task_struct *p, int ret)
{
	return ret ? ret
		   : judge_process(p, CANISTER_ISOLATION_OP_CONTROL,
				   CANISTER_ISOLATION_CONTROL_SCHEDULER);
}

SEC("lsm/task_movememory")
int BPF_PROG(canister_isolation_movememory, struct task_struct *p, int ret)
{
	return ret ? ret
		   : judge_process(p, CANISTER_ISOLATION_OP_CONTROL,
				   CANISTER_ISOLATION_CONTROL_MEMORY);
}

/*
 * An async-I/O signal (F_SETOWN or the FIOSETOWN/SIOCSPGRP ioctls name the
 * owner, F_SETSIG the signal, SIGURG too) is sent by whichever task makes
 * the I/O, often another one or none (a softirq), through
 * file_send_sigiotask and never task_kill: without these programs a
 * container's root could send any signal, SIGKILL included, to another
 * container's process or a host process.  So the setter, known only when
 * the owner is set, is kept by the owner's fown_struct, and the signal is
 * judged as the setter's own kill.
 */
struct canister_isolation_sigio_setter {
	__u64 contid;
	__u32 tgid, uid;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ISOLATION_SIGIO_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct canister_isolation_sigio_setter);
} isolation_sigio_setters SEC(".maps");

/* Linux before 6.12 embeds the owner in struct file; later kernels point to it. */
struct file___owner_embedded {
	struct fown_struct f_owner;
} __attribute__((preserve_access_index));

struct file___owner_pointer {
	struct fown_struct *f_owner;
} __attribute__((preserve_access_index));

static __always_inline __u64 sigio_key(struct file *file)
{
	if (bpf_core_field_exists(struct file___owner_embedded, f_owner))
		return (__u64)file + bpf_core_field_offset(struct file___owner_embedded, f_owner);
	return (__u64)BPF_CORE_READ((struct file___owner_pointer *)file, f_owner);
}

#define CN_F_SETOWN 8
#define CN_F_SETOWN_EX 15
#define CN_FIOSETOWN 0x8901
#define CN_SIOCSPGRP 0x8902
/* _IOW('f', 2, long), _IOW('f', 2, int), _IOW('X', 32, struct fsxattr). */
#define CN_FS_IOC_SETFLAGS 0x40086602
#define CN_FS_IOC32_SETFLAGS 0x40046602
#define CN_FS_IOC_FSSETXATTR 0x401c5820

/*
 * A labelled task about to name @file's owner: its setter kept before the
 * owner is set, or the call refused when the map has no room (so that a
 * container that fills it cannot have its signals taken for the host's).
 */
static __always_inline int sigio_owner_naming(struct file *file)
{
	struct canister_isolation_sigio_setter setter = {};
	__u64 key;

	if (!subject(&setter.contid, &setter.uid, &setter.tgid))
		return 0;
	key = sigio_key(file);
	if (!key)
		return 0;
	return bpf_map_update_elem(&isolation_sigio_setters, &key, &setter, BPF_ANY) ? -EPERM : 0;
}

SEC("lsm/file_fcntl")
int BPF_PROG(canister_isolation_fcntl, struct file *file, unsigned int cmd, unsigned long arg,
	     int ret)
{
	if (ret || (cmd != CN_F_SETOWN && cmd != CN_F_SETOWN_EX))
		return ret;
	return sigio_owner_naming(file);
}

/*
 * The owner-naming ioctls, and those that set a file's inode flags
 * (immutable, append-only: a file another container can then no longer
 * write) through any descriptor, one opened for reading too.
 */
static __always_inline int judge_ioctl(struct file *file, unsigned int cmd, struct path *path)
{
	if (cmd == CN_FIOSETOWN || cmd == CN_SIOCSPGRP)
		return sigio_owner_naming(file);
	if (cmd == CN_FS_IOC_SETFLAGS || cmd == CN_FS_IOC32_SETFLAGS || cmd == CN_FS_IOC_FSSETXATTR)
		return judge_file(file->f_inode, file->f_path.dentry, path,
				  CANISTER_ISOLATION_OP_ATTRIBUTES);
	return 0;
}

SEC("lsm/file_ioctl")
int BPF_PROG(canister_isolation_ioctl, struct file *file, unsigned int cmd, unsigned long arg,
	     int ret)
{
	return ret ? ret : judge_ioctl(file, cmd, (struct path *)&file->f_path);
}

/*
 * A 32-bit process's ioctls come here instead (6.8, and 6.1.y since the
 * stable backport, as Debian's 6.1 has it): before, its FS_IOC32_SETFLAGS
 * went unjudged.  Loaded only where the kernel has the hook (isolation.c).
 * The file is named by its last component: bpf_d_path is not allowed here.
 */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(canister_isolation_ioctl_compat, struct file *file, unsigned int cmd,
	     unsigned long arg, int ret)
{
	return ret ? ret : judge_ioctl(file, cmd, NULL);
}

/*
 * Every owner change (the calls above, and those that make the caller
 * itself the owner: leases, dnotify): a labelled setter kept, a host one
 * clears a container's.  A void hook.
 */
SEC("lsm/file_set_fowner")
int BPF_PROG(canister_isolation_set_fowner, struct file *file)
{
	struct canister_isolation_sigio_setter setter = {};
	__u64 key = sigio_key(file);

	if (!key)
		return 0;
	if (subject(&setter.contid, &setter.uid, &setter.tgid))
		bpf_map_update_elem(&isolation_sigio_setters, &key, &setter, BPF_ANY);
	else
		bpf_map_delete_elem(&isolation_sigio_setters, &key);
	return 0;
}

SEC("lsm/file_free_security")
int BPF_PROG(canister_isolation_file_free, struct file *file)
{
	__u64 key = sigio_key(file);

	/* Every file's last close passes here: a lookup first, which takes no lock. */
	if (key && bpf_map_lookup_elem(&isolation_sigio_setters, &key))
		bpf_map_delete_elem(&isolation_sigio_setters, &key);
	return 0;
}

/* The async-I/O signal judged as its setter's kill (canister_isolation_kill's rules). */
SEC("lsm/file_send_sigiotask")
int BPF_PROG(canister_isolation_sigio, struct task_struct *target, struct fown_struct *fown,
	     int sig, int ret)
{
	struct canister_isolation_sigio_setter *setter;
	struct canister_isolation_report *report;
	__u32 target_tgid, target_uid;
	__u64 target_contid, key = (__u64)fown;

	if (ret)
		return ret;
	setter = bpf_map_lookup_elem(&isolation_sigio_setters, &key);
	if (!setter)
		return 0;
	target_tgid = BPF_CORE_READ(target, tgid);
	/* canisterd is identity's guard's (guard_daemon.bpf.c refuses every async-I/O signal). */
	if (canisterd_tgid && (target_tgid == canisterd_tgid ||
			       BPF_CORE_READ(target, real_parent, tgid) == canisterd_tgid))
		return 0;
	if (target_tgid == setter->tgid ||
	    isolation_allows(setter->contid, setter->uid, target, &target_contid, &target_uid))
		return 0;
	report = denied(setter->contid, setter->tgid, setter->uid, target_contid, target_tgid,
			target_uid, CANISTER_ISOLATION_OP_SIGNAL);
	if (report) {
		report->sig = (__u16)sig;
		bpf_ringbuf_submit(report, 0);
	}
	return -EPERM;
}

/* A labelled task about to create @dentry: remembered until d_instantiate gives it its inode. */
static __always_inline int creating(struct dentry *dentry)
{
	struct canister_isolation_creating *pending;
	__u64 contid;
	__u32 uid, tgid;

	if (!subject(&contid, &uid, &tgid))
		return 0;
	pending = bpf_task_storage_get(&isolation_creating, bpf_get_current_task_btf(), 0,
				       BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (pending) {
		pending->dentry = (__u64)dentry;
		pending->contid = contid;
	}
	return 0;
}

SEC("lsm/inode_create")
int BPF_PROG(canister_isolation_create, struct inode *dir, struct dentry *dentry, umode_t mode,
	     int ret)
{
	return ret ? ret : creating(dentry);
}

SEC("lsm/inode_mkdir")
int BPF_PROG(canister_isolation_mkdir, struct inode *dir, struct dentry *dentry, umode_t mode,
	     int ret)
{
	return ret ? ret : creating(dentry);
}

SEC("lsm/inode_mknod")
int BPF_PROG(canister_isolation_mknod, struct inode *dir, struct dentry *dentry, umode_t mode,
	     dev_t dev, int ret)
{
	return ret ? ret : creating(dentry);
}

/*
 * The new inode: its creator is the container that was creating this dentry.
 * A void hook; the program returns 0 all the same (the verifier wants R0 set).
 */
SEC("lsm/d_instantiate")
int BPF_PROG(canister_isolation_instantiate, struct dentry *dentry, struct inode *inode)
{
	struct canister_isolation_creating *pending;
	struct canister_isolation_creator *creator;

	if (!inode)
		return 0;
	pending = bpf_task_storage_get(&isolation_creating, bpf_get_current_task_btf(), 0, 0);
	if (!pending || pending->dentry != (__u64)dentry)
		return 0;
	creator = bpf_inode_storage_get(&isolation_creators, inode, 0,
					BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (creator)
		creator->contid = pending->contid;
	pending->dentry = 0;
	return 0;
}

/*
 * Every open for writing (truncating opens included); one already open stays
 * writable.  A /proc/PID file is its process's: oom_score_adj (1000 picks it
 * for the OOM killer), comm, coredump_filter, timerslack_ns and the rest are
 * controls of that process, judged as such.
 */
SEC("lsm/file_open")
int BPF_PROG(canister_isolation_open, struct file *file, int ret)
{
	struct inode *inode;

	/* O_TRUNC truncates even without write access (6.2+ through file_truncate, unhooked). */
	if (ret || !((file->f_mode & FMODE_WRITE) || (file->f_flags & CN_O_TRUNC)))
		return ret;
	inode = file->f_inode;
	if (inode->i_sb->s_magic == PROC_SUPER_MAGIC)
		return judge_proc_file(inode);
	return judge_file(inode, file->f_path.dentry, (struct path *)&file->f_path,
			  CANISTER_ISOLATION_OP_WRITE);
}

/*
 * cgroup files outside the writer's container's cgroup: cgroup.kill sends
 * SIGKILL to every process of a cgroup and cgroup.freeze stops them, neither
 * through task_kill; a limit (memory.max, pids.max, cpu.max, ...) starves
 * them; cgroup.procs and cgroup.threads move them.  A labelled process may
 * write only the cgroupfs files of the cgroups beneath its container's
 * cgroup and, of that cgroup itself, those a delegatee may (delegatable()),
 * host-admin aside.  On cgroup v2 that cgroup is the one canisterd
 * recorded when the container was registered (container_cgroups): not the
 * one the writer is in now, as a container's init moves itself into a leaf
 * (systemd into init.scope) and still manages its container's root.  With no
 * record (a container registered before canisterd kept them, or its cgroup
 * not read), and in a v1 hierarchy (no recorded id there), it is the cgroup
 * the writer is in now, in the file's hierarchy: what a runtime put it in,
 * as this very rule lets a labelled process move only downward.
 * inode_permission and not file_open: cgroup v2 checks a move (cgroup.procs,
 * cgroup.threads, clone3's CLONE_INTO_CGROUP) by asking for write access to
 * cgroup.procs of the source's and destination's common ancestor, which no
 * open passes; so moving another container's process, or a host process,
 * into one's own cgroup (to kill it there) is refused too.  A directory's
 * write (mkdir, rmdir, rename in it) is judged as a file of its cgroup.
 * canisterd's cgroups are identity's guard's (canister_guard_cgroup),
 * whichever of the two programs refuses first records it.
 */
/*
 * Whether a write to @kn (asked with @mask), in the container's own cgroup
 * itself (not beneath it), is one cgroup v2 lets a delegatee make at its
 * delegation's root: the kernel's CFTYPE_NS_DELEGATABLE files, and of its
 * directory a child made or removed (MAY_EXEC with the write; a user.*
 * extended attribute, which systemd-oomd reads, asks MAY_WRITE alone).  Its
 * limits, cgroup.freeze and cgroup.kill are its runtime's: a container that
 * wrote its own memory.max or pids.max lifted what it was given.
 */
static __always_inline bool delegatable(struct kernfs_node *kn, int mask)
{
	const char *name;

	if (BPF_CORE_READ(kn, flags) & KERNFS_DIR)
		return mask & MAY_EXEC;
	name = BPF_CORE_READ(kn, name);
	return NAME_IS(name, "cgroup.procs") || NAME_IS(name, "cgroup.threads") ||
	       NAME_IS(name, "cgroup.subtree_control") || NAME_IS(name, "memory.oom.group") ||
	       NAME_IS(name, "memory.reclaim");
}

SEC("lsm/inode_permission")
int BPF_PROG(canister_isolation_cgroup, struct inode *inode, int mask, int ret)
{
	struct canister_isolation_report *report;
	struct kernfs_node *kn, *dir;
	struct cgroup *cgrp;
	__u64 *recorded;
	unsigned long magic;
	__u64 contid;
	__u32 uid, tgid;
	long len;

	if (ret || !(mask & MAY_WRITE))
		return ret;
	magic = inode->i_sb->s_magic;
	if (magic != CGROUP2_SUPER_MAGIC && magic != CGROUP_SUPER_MAGIC)
		return 0;
	if (!subject(&contid, &uid, &tgid))
		return 0;
	cgrp = cgroupfs_inode_cgroup(inode, &kn);
	if (!cgrp)
		return 0;
	recorded =
		magic == CGROUP2_SUPER_MAGIC ? bpf_map_lookup_elem(&container_cgroups, &contid) : 0;
	if (recorded) {
		if (cgroup_within_id(cgrp, *recorded) &&
		    (BPF_CORE_READ(cgrp, kn, id) != *recorded || delegatable(kn, mask)))
			return 0;
	} else if (cgroup_beneath(cgrp, task_cgroup_like(bpf_get_current_task_btf(), cgrp))) {
		/*
		 * The cgroup the writer is in now, usually a leaf, and those beneath:
		 * all of its files, as systemd's services write PSI triggers
		 * (memory.pressure) of their own leaf.
		 */
		return 0;
	}
	if (isolation_granted(contid, CANISTER_ISOLATION_HOST_ADMIN, CANISTER_ISOLATION_ANY_UID,
			      CANISTER_ISOLATION_ANY_UID))
		return 0;
	/* access(2)'s W_OK asks, it writes nothing: the answer, no record. */
	if (mask & MAY_ACCESS)
		return -EPERM;
	report = denied(contid, tgid, uid, CANISTER_CONTID_UNSET, 0, 0,
			CANISTER_ISOLATION_OP_CGROUP);
	if (!report)
		return -EPERM;
	/* The cgroup's id (its directory's inode number), and "DIR/FILE": names, not a path. */
	dir = (BPF_CORE_READ(kn, flags) & KERNFS_DIR) ? kn : kn_parent(kn);
	report->ino = BPF_CORE_READ(dir, id);
	len = bpf_probe_read_kernel_str(report->name, CGROUP_NAME_PART, BPF_CORE_READ(dir, name));
	if (len > 0 && dir != kn) {
		len = (len - 1) & (CGROUP_NAME_PART - 1);
		report->name[len] = '/';
		bpf_probe_read_kernel_str(report->name + len + 1, CGROUP_NAME_PART,
					  BPF_CORE_READ(kn, name));
	}
	bpf_ringbuf_submit(report, 0);
	return -EPERM;
}

/*
 * Changes that need no open for writing: truncate(2) by path (and
 * ftruncate), chmod, chown (which would also hand a file to the uid a
 * credential opens), extended attributes (ACLs, security labels) and, at
 * the ioctls above, the inode flags.  Timestamps (utimensat) are not
 * judged: inode_setattr changed its arguments in 6.3.  The path hooks name
 * the file by its last component: bpf_d_path is not allowed there.  The
 * inode is read through the hook's own pointers, as inode storage wants it.
 */
SEC("lsm/path_truncate")
int BPF_PROG(canister_isolation_truncate, const struct path *path, int ret)
{
	return ret ? ret
		   : judge_file(path->dentry->d_inode, path->dentry, NULL,
				CANISTER_ISOLATION_OP_ATTRIBUTES);
}

SEC("lsm/path_chmod")
int BPF_PROG(canister_isolation_chmod, const struct path *path, umode_t mode, int ret)
{
	return ret ? ret
		   : judge_file(path->dentry->d_inode, path->dentry, NULL,
				CANISTER_ISOLATION_OP_ATTRIBUTES);
}

SEC("lsm/path_chown")
int BPF_PROG(canister_isolation_chown, const struct path *path, __u64 uid, __u64 gid, int ret)
{
	return ret ? ret
		   : judge_file(path->dentry->d_inode, path->dentry, NULL,
				CANISTER_ISOLATION_OP_ATTRIBUTES);
}

/* The first argument is a user namespace on 6.1, an idmap since 6.3: neither is read. */
SEC("lsm/inode_setxattr")
int BPF_PROG(canister_isolation_setxattr, void *idmap, struct dentry *dentry, const char *name,
	     const void *value, size_t size, int flags, int ret)
{
	return ret ? ret
		   : judge_file(dentry->d_inode, dentry, NULL, CANISTER_ISOLATION_OP_ATTRIBUTES);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(canister_isolation_removexattr, void *idmap, struct dentry *dentry, const char *name,
	     int ret)
{
	return ret ? ret
		   : judge_file(dentry->d_inode, dentry, NULL, CANISTER_ISOLATION_OP_ATTRIBUTES);
}

SEC("lsm/inode_unlink")
int BPF_PROG(canister_isolation_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : judge_file(dentry->d_inode, dentry, NULL, CANISTER_ISOLATION_OP_REMOVE);
}

SEC("lsm/inode_rmdir")
int BPF_PROG(canister_isolation_rmdir, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ? ret : judge_file(dentry->d_inode, dentry, NULL, CANISTER_ISOLATION_OP_REMOVE);
}

/* Moving a file away removes it from where it was; renaming over one removes that one. */
SEC("lsm/inode_rename")
int BPF_PROG(canister_isolation_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	ret = judge_file(old_dentry->d_inode, old_dentry, NULL, CANISTER_ISOLATION_OP_REMOVE);
	if (ret)
		return ret;
	return judge_file(new_dentry->d_inode, new_dentry, NULL, CANISTER_ISOLATION_OP_REMOVE);
}
