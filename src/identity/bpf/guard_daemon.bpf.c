// SPDX-License-Identifier: GPL-2.0-only
/* canister: lsm mode only; keeps containers off canisterd, other containers and kernel helpers. */
#include "cgroup_tree.bpf.h"
#include "guard_deny.bpf.h"
#include "maps.bpf.h"
#include "name_is.bpf.h"
#include "proc_task.bpf.h"
#include "../../access/bpf/isolation_grants.bpf.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define FMODE_WRITE 0x2
#define MAY_WRITE 0x2
#define SYSFS_MAGIC 0x62656572
#define SECURITYFS_MAGIC 0x73636673
#define DEBUGFS_MAGIC 0x64626720
#define TRACEFS_MAGIC 0x74726163
#define CONFIGFS_MAGIC 0x62656570
#define EFIVARFS_MAGIC 0xde5e81e4
#define PSTOREFS_MAGIC 0x6165676c
#define BINFMTFS_MAGIC 0x42494e4d
/* fsnotify's permission events: FS_OPEN_PERM, FS_ACCESS_PERM, FS_OPEN_EXEC_PERM, FS_PRE_ACCESS. */
#define FS_PERM_EVENTS (0x00010000 | 0x00020000 | 0x00040000 | 0x00100000)
#define TIOCSTI 0x5412
#define TIOCLINUX 0x541c
#define BPF_PROG_LOAD_CMD 5
#define SOCKET_FILTER_PROG 1
/* CANISTER_NEST_LIMIT_MAX (canister/canister.h); programs.c asserts they agree. */
#define NEST_WALK 20

extern int LINUX_KERNEL_VERSION __kconfig;

/* Set by canisterd before load. */
const volatile __u32 canisterd_tgid;

/*
 * canisterd's main thread, learnt the first time it opens a file after the
 * attach (programs.c makes sure it does).  Some hooks name their target only
 * by its credentials (task_prlimit) or by a cgroup, so the guard needs
 * canisterd's task to compare; it is read with probe reads and checked
 * against canisterd_tgid before each use, so a stale one is never trusted.
 * A map of its own rather than a global: canisterd freezes it before the
 * attach, so that no process can write it, while this program still can.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} daemon_task SEC(".maps");

static __always_inline struct task_struct *canisterd_task(void)
{
	__u32 zero = 0;
	__u64 *known = bpf_map_lookup_elem(&daemon_task, &zero);
	struct task_struct *task = known ? (struct task_struct *)*known : 0;

	if (!task || !canisterd_tgid || BPF_CORE_READ(task, tgid) != canisterd_tgid ||
	    BPF_CORE_READ(task, pid) != canisterd_tgid)
		return 0;
	return task;
}

/*
 * canisterd, or a helper it started (the audit guardian, an audit plugin that
 * feeds remote logging): silencing either silences canister.
 */
static __always_inline bool is_daemon(struct task_struct *task)
{
	if (!canisterd_tgid || !task)
		return false;
	return BPF_CORE_READ(task, tgid) == canisterd_tgid ||
	       BPF_CORE_READ(task, real_parent, tgid) == canisterd_tgid;
}

/* ---- 1. canisterd itself: scheduling, limits, memory, async signals, /proc files ---- */

SEC("lsm/task_setnice")
int BPF_PROG(canister_guard_setnice, struct task_struct *p, int nice, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !is_daemon(p) || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, p->tgid, CANISTER_GUARD_DAEMON_SCHED, label->contid);
}

SEC("lsm/task_setioprio")
int BPF_PROG(canister_guard_setioprio, struct task_struct *p, int ioprio, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !is_daemon(p) || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, p->tgid, CANISTER_GUARD_DAEMON_SCHED, label->contid);
}

/* sched_setscheduler, sched_setparam, sched_setattr and sched_setaffinity. */
SEC("lsm/task_setscheduler")
int BPF_PROG(canister_guard_setscheduler, struct task_struct *p, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !is_daemon(p) || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, p->tgid, CANISTER_GUARD_DAEMON_SCHED, label->contid);
}

/* migrate_pages and move_pages on canisterd. */
SEC("lsm/task_movememory")
int BPF_PROG(canister_guard_movememory, struct task_struct *p, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !is_daemon(p) || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, p->tgid, CANISTER_GUARD_DAEMON_SCHED, label->contid);
}

/*
 * prlimit(2) on another process: RLIMIT_CPU or RLIMIT_FSIZE end canisterd by
 * SIGXCPU/SIGXFSZ, RLIMIT_NOFILE or RLIMIT_AS starve it.  The hook names the
 * target by its credentials only, which canisterd's threads share.
 */
SEC("lsm/task_prlimit")
int BPF_PROG(canister_guard_prlimit, const struct cred *cred, const struct cred *tcred,
	     unsigned int flags, int ret)
{
	struct canister_label *label;
	struct task_struct *daemon;
	__u32 tgid;

	if (ret || !(label = contained(&tgid)) || !(daemon = canisterd_task()))
		return ret;
	if (tcred != BPF_CORE_READ(daemon, real_cred) && tcred != BPF_CORE_READ(daemon, cred))
		return 0;
	return deny(tgid, canisterd_tgid, CANISTER_GUARD_PRLIMIT, label->contid);
}

/*
 * F_SETOWN/F_SETSIG make the kernel send any signal, SIGKILL included, as
 * async-I/O notice, which task_kill does not see.  canisterd asks for none,
 * so none reaches it, whoever set the owner.
 */
SEC("lsm/file_send_sigiotask")
int BPF_PROG(canister_guard_sigio, struct task_struct *tsk, struct fown_struct *fown, int sig,
	     int ret)
{
	struct canister_label *label;
	__u32 tgid;

	/* Only canisterd itself: a plugin may ask for async I/O on its own files. */
	if (ret || !canisterd_tgid || tsk->tgid != canisterd_tgid)
		return ret;
	label = current_label(&tgid);
	return deny(tgid, canisterd_tgid, CANISTER_GUARD_SIGIO,
		    label ? label->contid : CANISTER_CONTID_UNSET);
}

/*
 * The guard (guard.bpf.c) refuses signals to canisterd itself; this one those
 * to the helpers canisterd started.  Signal 0 only probes for existence.
 */
SEC("lsm/task_kill")
int BPF_PROG(canister_guard_helper_kill, struct task_struct *target, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || sig == 0 || !canisterd_tgid || BPF_CORE_READ(target, tgid) == canisterd_tgid ||
	    BPF_CORE_READ(target, real_parent, tgid) != canisterd_tgid ||
	    !(label = contained(&tgid)))
		return ret;
	return deny(tgid, BPF_CORE_READ(target, tgid), CANISTER_GUARD_HELPER_KILL, label->contid);
}

/*
 * A namespace's own sysctls (net.*, user.*, ipc and mqueue limits) sit in the
 * set of that namespace, which has is_seen; the global set has not.  They are
 * the container's to change only when it does not share that namespace with
 * canisterd (a `canister run` container shares them all): otherwise they are
 * the host's.  canisterd's task unknown: they are taken as shared.
 */
static __always_inline bool set_of_daemon(struct ctl_table_set *set)
{
	struct task_struct *daemon = canisterd_task();
	struct nsproxy *nsp;
	void *ns;

	if (!daemon)
		return true;
	nsp = BPF_CORE_READ(daemon, nsproxy);
	ns = BPF_CORE_READ(nsp, net_ns);
	if ((void *)set == ns + bpf_core_field_offset(struct net, sysctls))
		return true;
	ns = BPF_CORE_READ(nsp, ipc_ns);
	if ((void *)set == ns + bpf_core_field_offset(struct ipc_namespace, ipc_set) ||
	    (void *)set == ns + bpf_core_field_offset(struct ipc_namespace, mq_set))
		return true;
	ns = BPF_CORE_READ(daemon, real_cred, user_ns);
	return (void *)set == ns + bpf_core_field_offset(struct user_namespace, set);
}

/*
 * kernel.hostname and kernel.domainname (the writer's UTS namespace) and
 * kernel.ns_last_pid (its pid namespace) sit in the global set but act on
 * the writer's namespace: they are the container's when that namespace is
 * not canisterd's.
 */
static __always_inline bool own_namespace_sysctl(const char *name)
{
	struct task_struct *daemon = canisterd_task();
	struct task_struct *task = bpf_get_current_task_btf();

	if (!daemon)
		return false;
	if (NAME_IS(name, "hostname") || NAME_IS(name, "domainname"))
		return BPF_CORE_READ(task, nsproxy, uts_ns) !=
		       BPF_CORE_READ(daemon, nsproxy, uts_ns);
	if (NAME_IS(name, "ns_last_pid"))
		return BPF_CORE_READ(task, nsproxy, pid_ns_for_children) !=
		       BPF_CORE_READ(daemon, nsproxy, pid_ns_for_children);
	return false;
}

/*
 * Global sysctls (kernel.core_pattern, kernel.modprobe, kernel.hotplug,
 * kernel.poweroff_cmd, kernel.usermodehelper.*, sched_rt_runtime_us,
 * panic settings, ...) configure the host, and so do the namespaced ones of
 * the namespaces the host shares with the container.
 */
static __always_inline __u32 proc_write_hook(struct inode *inode)
{
	struct proc_inode *pi;
	struct ctl_table_header *head;
	const struct ctl_table *entry;
	struct proc_dir_entry *pde;
	struct ctl_table_set *set;

	pi = (void *)inode - bpf_core_field_offset(struct proc_inode, vfs_inode);
	head = BPF_CORE_READ(pi, sysctl);
	entry = BPF_CORE_READ(pi, sysctl_entry);
	if (head && entry) {
		set = BPF_CORE_READ(head, set);
		if (BPF_CORE_READ(set, is_seen)
			    ? !set_of_daemon(set)
			    : own_namespace_sysctl(BPF_CORE_READ(entry, procname)))
			return 0;
		return CANISTER_GUARD_SYSCTL;
	}
	if (is_daemon(proc_inode_task(pi)))
		return CANISTER_GUARD_DAEMON_PROC;
	pde = BPF_CORE_READ(pi, pde);
	/* Its writes bypass kernel.sysrq: 'e', 'i' and 'f' kill canisterd past task_kill. */
	if (pde && NAME_IS(BPF_CORE_READ(pde, name), "sysrq-trigger"))
		return CANISTER_GUARD_SYSRQ;
	return 0;
}

/*
 * Filesystems whose files are the host kernel's settings: sysfs
 * (/sys/kernel/uevent_helper runs as root on every uevent, module parameters,
 * /sys/power/state, device attributes, uevent triggers), securityfs (LSM
 * policies), debugfs, tracefs, configfs, efivarfs, pstore.  Runtimes mount
 * them read-only in containers; a container that shares the host's mounts
 * gets the same, here.
 */
static __always_inline bool kernel_settings_fs(unsigned long magic)
{
	return magic == SYSFS_MAGIC || magic == SECURITYFS_MAGIC || magic == DEBUGFS_MAGIC ||
	       magic == TRACEFS_MAGIC || magic == CONFIGFS_MAGIC || magic == EFIVARFS_MAGIC ||
	       magic == PSTOREFS_MAGIC;
}

SEC("lsm/file_open")
int BPF_PROG(canister_guard_file_open, struct file *file, int ret)
{
	struct canister_label *label;
	struct inode *inode;
	__u64 pid_tgid;
	__u32 tgid, hook = 0;
	unsigned long magic;

	if (ret)
		return ret;
	pid_tgid = bpf_get_current_pid_tgid();
	if (canisterd_tgid && (__u32)pid_tgid == canisterd_tgid &&
	    (pid_tgid >> 32) == canisterd_tgid) {
		__u32 zero = 0;
		__u64 *known = bpf_map_lookup_elem(&daemon_task, &zero);

		if (known)
			*known = (__u64)bpf_get_current_task_btf();
		return 0;
	}
	if (!(file->f_mode & FMODE_WRITE) || !(label = contained(&tgid)))
		return 0;
	inode = file->f_inode;
	magic = inode->i_sb->s_magic;
	if (magic == PROC_SUPER_MAGIC)
		hook = proc_write_hook(inode);
	else if (kernel_settings_fs(magic))
		hook = CANISTER_GUARD_KERNEL_FS;
	else if (magic == BINFMTFS_MAGIC)
		/* A registered interpreter runs for every matching exec, the host's too. */
		hook = CANISTER_GUARD_BINFMT_MISC;
	if (!hook)
		return 0;
	return deny(tgid, hook == CANISTER_GUARD_DAEMON_PROC ? canisterd_tgid : 0, hook,
		    label->contid);
}

/* Whether @cgrp is canisterd's cgroup or one of its ancestors (in any hierarchy). */
static __always_inline bool daemon_within(struct cgroup *cgrp)
{
	struct task_struct *daemon = canisterd_task();

	if (!daemon || !cgrp)
		return false;
	return cgroup_beneath(task_cgroup_like(daemon, cgrp), cgrp);
}

/*
 * cgroup files: opening one for write passes here, and so does cgroup v2's
 * migration check, which asks for write access to cgroup.procs of the
 * common ancestor of source and destination.  So refusing writes to the
 * cgroups canisterd is in (and their ancestors) keeps it from being frozen
 * (cgroup.freeze, freezer.state), killed (cgroup.kill), limited (memory.max,
 * pids.max, cpu.max, ...) or moved out, in v2.  cgroup v1 checks no ancestor
 * on a move, so its tasks and cgroup.procs files are refused outright, and
 * release_agent runs a program as root when a cgroup empties.
 */
SEC("lsm/inode_permission")
int BPF_PROG(canister_guard_cgroup, struct inode *inode, int mask, int ret)
{
	struct canister_label *label;
	struct kernfs_node *kn, *dir;
	unsigned long magic;
	const char *name;
	__u32 tgid, hook = 0;

	if (ret || !(mask & MAY_WRITE))
		return ret;
	magic = inode->i_sb->s_magic;
	if (magic != CGROUP2_SUPER_MAGIC && magic != CGROUP_SUPER_MAGIC)
		return 0;
	if (!(label = contained(&tgid)))
		return 0;
	kn = inode->i_private;
	if (!kn || (BPF_CORE_READ(kn, flags) & KERNFS_DIR))
		return 0;
	name = BPF_CORE_READ(kn, name);
	if (magic == CGROUP_SUPER_MAGIC) {
		if (NAME_IS(name, "release_agent") || NAME_IS(name, "notify_on_release"))
			hook = CANISTER_GUARD_RELEASE_AGENT;
		else if (NAME_IS(name, "tasks") || NAME_IS(name, "cgroup.procs"))
			hook = CANISTER_GUARD_CGROUP;
	}
	dir = kn_parent(kn);
	if (!hook && dir && daemon_within(BPF_CORE_READ(dir, priv)))
		hook = CANISTER_GUARD_CGROUP;
	if (!hook)
		return 0;
	return deny(tgid, hook == CANISTER_GUARD_CGROUP ? canisterd_tgid : 0, hook, label->contid);
}

/*
 * A fanotify permission event blocks the process that opens or reads a file
 * until the listener answers, and 6.1 has no timeout: a mark on a
 * filesystem, a mount, or one file that canisterd opens (its config, its
 * logs) would hold canisterd, or the whole host, as long as the container
 * likes.  (6.1 itself refuses such marks on procfs.)
 */
SEC("lsm/path_notify")
int BPF_PROG(canister_guard_path_notify, const struct path *path, __u64 mask, unsigned int obj_type,
	     int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !(mask & FS_PERM_EVENTS) || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, 0, CANISTER_GUARD_FANOTIFY_PERM, label->contid);
}

/* ---- 2. ptrace only within one's own container and those nested in it ---- */

/* Whether @task is in container @contid or in one nested in it. */
static __always_inline bool within_container(struct task_struct *task, __u64 contid)
{
	struct canister_label *target = task_label(task, task->tgid);
	__u64 walk;

	if (!target || target->contid == CANISTER_CONTID_UNSET)
		return false;
	walk = target->contid;
	for (int i = 0; i < NEST_WALK; i++) {
		struct canister_container *c;

		if (walk == contid)
			return true;
		c = bpf_map_lookup_elem(&containers, &walk);
		if (!c)
			return false;
		walk = c->parent;
		if (walk == CANISTER_CONTID_UNSET)
			return false;
	}
	return false;
}

/*
 * Every attach (PTRACE_ATTACH/SEIZE), /proc/PID/mem, process_vm_readv/writev,
 * pidfd_getfd, kcmp, perf on a task and the /proc files that expose another
 * process's memory map, environment or descriptors pass here.  Checks /proc
 * makes only to decide what to show (PTRACE_MODE_NOAUDIT) are refused silently.
 */
SEC("lsm/ptrace_access_check")
int BPF_PROG(canister_guard_ptrace_scope, struct task_struct *child, unsigned int mode, int ret)
{
	struct canister_label *label;
	__u32 tgid, target, target_uid;
	__u64 target_contid;

	if (ret || !(label = contained(&tgid)))
		return ret;
	target = child->tgid;
	if (target == tgid || within_container(child, label->contid))
		return 0;
	/* `canister grant`: host-admin, or a credential for the child's container and uid. */
	if (isolation_allows(label->contid, isolation_euid(bpf_get_current_task_btf()), child,
			     &target_contid, &target_uid))
		return 0;
	if (mode & PTRACE_MODE_NOAUDIT)
		return -EPERM;
	return deny(tgid, target, CANISTER_GUARD_PTRACE_SCOPE, label->contid);
}

/* PTRACE_TRACEME makes the parent a tracer: the parent, too, must be of the container. */
SEC("lsm/ptrace_traceme")
int BPF_PROG(canister_guard_traceme, struct task_struct *parent, int ret)
{
	struct canister_label *label, *parent_label;
	__u32 tgid, target, target_uid;
	__u64 target_contid;

	if (ret || !(label = contained(&tgid)))
		return ret;
	target = parent->tgid;
	if (within_container(parent, label->contid))
		return 0;
	/* The parent's container holds a grant over this process: it may trace it. */
	parent_label = task_label(parent, target);
	if (parent_label && parent_label->contid != CANISTER_CONTID_UNSET &&
	    isolation_allows(parent_label->contid, isolation_euid(parent),
			     bpf_get_current_task_btf(), &target_contid, &target_uid))
		return 0;
	return deny(tgid, target, CANISTER_GUARD_TRACEME, label->contid);
}

/* ---- 3. no kernel code, and no kernel-started helper, on a container's behalf ---- */

/* Module autoload runs the host's modprobe as root (socket families, filesystems, ...). */
SEC("lsm/kernel_module_request")
int BPF_PROG(canister_guard_module_request, char *kmod_name, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, 0, CANISTER_GUARD_MODULE_REQUEST, label->contid);
}

/*
 * reboot(2) and delete_module(2) have no hook of their own, but both ask for
 * a capability of the initial user namespace, which a container root that
 * shares it holds: a reboot ends canisterd with the host, an unload takes away
 * kernel code canister relies on (unix_diag, by which canisterd identifies
 * its callers).  Module loads and kexec ask for the same two first, so they
 * are refused here too, before the hooks that judge what they load
 * (guard_objects.bpf.c), which stay for callers that pass this one.  Only
 * current's own credentials are judged (capable() asks with them); a check
 * that is only a probe (CAP_OPT_NOAUDIT) is refused without a record.
 */
#define CAP_SYS_MODULE 16
#define CAP_SYS_BOOT 22
#define CAP_OPT_NOAUDIT 0x2
/* The initial user namespace's inode number (PROC_USER_INIT_INO), fixed since Linux 3.8. */
#define USER_NS_INIT_INO 0xEFFFFFFDU

SEC("lsm/capable")
int BPF_PROG(canister_guard_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	struct task_struct *task;
	struct canister_label *label;
	__u32 tgid;

	if (ret || (cap != CAP_SYS_BOOT && cap != CAP_SYS_MODULE))
		return ret;
	task = bpf_get_current_task_btf();
	if (BPF_CORE_READ(ns, ns.inum) != USER_NS_INIT_INO || BPF_CORE_READ(task, cred) != cred ||
	    !(label = contained(&tgid)))
		return 0;
	if (opts & CAP_OPT_NOAUDIT)
		return -EPERM;
	return deny(tgid, 0, cap == CAP_SYS_BOOT ? CANISTER_GUARD_REBOOT : CANISTER_GUARD_MODULE,
		    label->contid);
}

/*
 * The kernel's audit configuration is canister's too: a container root with
 * CAP_AUDIT_CONTROL in the initial user namespace could switch audit off
 * (auditctl -e 0), delete canister's rules, lock the configuration (-e 2)
 * or make a flood panic the host (-f 2).  Every message of the datagram is
 * checked, as audit_receive() walks them all; reading the status and
 * user-space messages (attributed to the sender's pid, so to its container)
 * stay allowed.
 */
#define NETLINK_AUDIT 9
#define AUDIT_MSGS_WALKED 16

static __always_inline bool audit_config_msg(__u16 type)
{
	/* AUDIT_SET, ADD_RULE, DEL_RULE, TRIM, MAKE_EQUIV, TTY_SET, SET_FEATURE */
	return type == 1001 || type == 1011 || type == 1012 || type == 1014 || type == 1015 ||
	       type == 1017 || type == 1018;
}

SEC("lsm/netlink_send")
int BPF_PROG(canister_guard_netlink_send, struct sock *sk, struct sk_buff *skb)
{
	struct canister_label *label;
	unsigned char *data;
	__u32 len, off = 0, tgid;

	if (BPF_CORE_READ(sk, sk_protocol) != NETLINK_AUDIT || !(label = contained(&tgid)))
		return 0;
	data = BPF_CORE_READ(skb, data);
	len = BPF_CORE_READ(skb, len);
	for (int i = 0; i < AUDIT_MSGS_WALKED; i++) {
		struct nlmsghdr nlh;

		if (off + sizeof(nlh) > len)
			return 0;
		if (bpf_probe_read_kernel(&nlh, sizeof(nlh), data + off))
			break;
		if (audit_config_msg(nlh.nlmsg_type))
			return deny(tgid, nlh.nlmsg_type, CANISTER_GUARD_AUDIT_CONTROL,
				    label->contid);
		/* audit_receive() stops where nlmsg_ok() fails. */
		if (nlh.nlmsg_len < sizeof(nlh) || nlh.nlmsg_len > len - off)
			return 0;
		off += (nlh.nlmsg_len + 3) & ~3U;
	}
	/* More messages than are walked, or one that cannot be read: not judged, refused. */
	return deny(tgid, 0, CANISTER_GUARD_AUDIT_CONTROL, label->contid);
}

/*
 * What kernel lockdown's integrity mode forbids changes the running kernel:
 * /dev/mem and /dev/port, ioperm and iopl, MSR writes, kexec, unsigned
 * modules, unsafe module parameters, PCI BARs, ACPI tables, debugfs writes.
 * The kernel asks at each of these points, in the caller's context, whether
 * or not the lockdown LSM is on; a container gets integrity mode's answer.
 */
SEC("lsm/locked_down")
int BPF_PROG(canister_guard_locked_down, enum lockdown_reason what, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	/*
	 * Reading /sys/power/state asks about hibernation; writing it is refused
	 * as a kernel settings file, so that read need not be.
	 */
	if (ret || what == bpf_core_enum_value(enum lockdown_reason, LOCKDOWN_NONE) ||
	    what == bpf_core_enum_value(enum lockdown_reason, LOCKDOWN_HIBERNATION) ||
	    what > bpf_core_enum_value(enum lockdown_reason, LOCKDOWN_INTEGRITY_MAX) ||
	    !(label = contained(&tgid)))
		return ret;
	return deny(tgid, what, CANISTER_GUARD_LOCKDOWN, label->contid);
}

/*
 * request_key(2) with callout information runs /sbin/request-key as root;
 * the authorisation key it creates first is where the upcall can be stopped.
 */
SEC("lsm/key_alloc")
int BPF_PROG(canister_guard_key_alloc, struct key *key, const struct cred *cred,
	     unsigned long flags, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || !(label = contained(&tgid)))
		return ret;
	if (!NAME_IS(BPF_CORE_READ(key, type, name), ".request_key_auth"))
		return 0;
	return deny(tgid, 0, CANISTER_GUARD_REQUEST_KEY, label->contid);
}

/*
 * TIOCSTI types into a terminal the container shares with a host shell, which
 * runs it; TIOCLINUX pastes a virtual console's selection into it.
 */
SEC("lsm/file_ioctl")
int BPF_PROG(canister_guard_ioctl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	struct canister_label *label;
	__u32 tgid;

	if (ret || (cmd != TIOCSTI && cmd != TIOCLINUX) || !(label = contained(&tgid)))
		return ret;
	return deny(tgid, 0, CANISTER_GUARD_TIOCSTI, label->contid);
}

/*
 * A BPF program runs in the kernel wherever it is attached: a kprobe or
 * tracepoint program can bpf_send_signal() canisterd past task_kill, a cgroup
 * program on the root cgroup can refuse canisterd its sockets.  Socket
 * filters act only on the loader's own sockets and stay allowed.
 */
SEC("lsm/bpf")
int canister_guard_bpf_prog_load(unsigned long long *ctx)
{
	union bpf_attr *attr = (union bpf_attr *)ctx[1];
	struct canister_label *label;
	int cmd = (int)ctx[0], ret;
	__u64 previous;
	__u32 tgid;

	/*
	 * 6.15 added an argument (bool kernel), so the previous verdict moved
	 * one slot on.  The version is a constant to the verifier, which never
	 * walks the other load; asm keeps clang from merging the two into one
	 * load at a computed offset, which the verifier refuses.
	 */
	if (LINUX_KERNEL_VERSION >= KERNEL_VERSION(6, 15, 0))
		asm volatile("%0 = *(u64 *)(%1 + 32)" : "=r"(previous) : "r"(ctx));
	else
		asm volatile("%0 = *(u64 *)(%1 + 24)" : "=r"(previous) : "r"(ctx));
	ret = (int)previous;
	if (ret || cmd != BPF_PROG_LOAD_CMD || !(label = contained(&tgid)))
		return ret;
	if (BPF_CORE_READ(attr, prog_type) == SOCKET_FILTER_PROG)
		return 0;
	return deny(tgid, 0, CANISTER_GUARD_BPF_PROG_LOAD, label->contid);
}
