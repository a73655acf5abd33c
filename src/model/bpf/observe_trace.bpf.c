// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: trace mode (no BPF LSM): the non-file events
 * of wanted containers from tracepoints, recorded only (nothing here can
 * deny).  Each program's name starts with its event's, which the loader
 * uses to report an event whose program the kernel refuses.
 */
#include "../../lib/syscall32.h"
#include "observe_objects.bpf.h"
#include "observe_origin.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define CN_PTRACE_ATTACH 16
#define CN_PTRACE_SEIZE 0x4206
#define CN_PTRACE_MODE_ATTACH_REALCREDS 0x12
#define CN_SOCK_TYPE_MASK 0xf
#define CN_MAP_ANONYMOUS 0x20
#define CN_S_IFMT 00170000
#define CN_S_IFSOCK 0140000
#define CN_LSM_SETID_ID 1
#define CN_LSM_SETID_RE 2
#define CN_LSM_SETID_RES 4
#define CN_LSM_SETID_FS 8

/* The file of the current process's descriptor @fd, or NULL. */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *file = NULL;
	struct file **fds;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]))
		return NULL;
	return file;
}

static __always_inline struct socket *fd_socket(int fd)
{
	struct file *file = fd_file(fd);

	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & CN_S_IFMT) != CN_S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(file, private_data);
}

/* x86_64's kill family: the calls by which a process sends a signal (orig_ax while in them). */
#define CN_NR_KILL 62
#define CN_NR_RT_SIGQUEUEINFO 129
#define CN_NR_TKILL 200
#define CN_NR_TGKILL 234
#define CN_NR_RT_TGSIGQUEUEINFO 297
#define CN_NR_PIDFD_SEND_SIGNAL 424

/*
 * A signal a process sent: one generated while it is in a call of the kill
 * family (the kernel's own signals, SIGCHLD, a timer's, SIGIO, are
 * generated elsewhere and are not the sender's event).  Not si_code: a
 * caller of rt_sigqueueinfo writes it (any negative value but SI_TKILL).
 * Never signal 0 (no signal is generated for it).
 */
static __always_inline bool in_kill_call(void)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	long nr;

	if (!regs)
		return false;
	nr = BPF_CORE_READ(regs, orig_ax);
	/* int $0x80's kill family, by i386's numbers (syscall32.h): 37 is x86_64's alarm. */
	if (TASK_IN_COMPAT_SYSCALL(bpf_get_current_task_btf()))
		return nr == NR32_KILL || nr == NR32_RT_SIGQUEUEINFO || nr == NR32_TKILL ||
		       nr == NR32_TGKILL || nr == NR32_RT_TGSIGQUEUEINFO ||
		       nr == NR32_PIDFD_SEND_SIGNAL;
	return nr == CN_NR_KILL || nr == CN_NR_RT_SIGQUEUEINFO || nr == CN_NR_TKILL ||
	       nr == CN_NR_TGKILL || nr == CN_NR_RT_TGSIGQUEUEINFO || nr == CN_NR_PIDFD_SEND_SIGNAL;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(task_kill_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_kill *record;

	if (sig == 0 || !in_kill_call())
		return 0;
	record = reserve(CANISTER_MODEL_OBS_KILL, struct canister_model_obs_kill, &wanted);
	if (!record)
		return 0;
	kill_target(record, task, sig);
	record_submit(record, wanted);
	return 0;
}

/* PTRACE_ATTACH and PTRACE_SEIZE: the access checks trace mode can see. */
SEC("tp/syscalls/sys_enter_ptrace")
int ptrace_access_check_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_ptrace *record;
	long request = ctx->args[0];

	if (request != CN_PTRACE_ATTACH && request != CN_PTRACE_SEIZE)
		return 0;
	record = reserve(CANISTER_MODEL_OBS_PTRACE, struct canister_model_obs_ptrace, &wanted);
	if (!record)
		return 0;
	record->target_tgid = (__u32)ctx->args[1];
	record->mode = CN_PTRACE_MODE_ATTACH_REALCREDS;
	record->pid_level = BPF_CORE_READ(task, thread_pid, level);
	record->pad = 0;
	record_submit(record, wanted);
	return 0;
}

/* socket(2): the type without SOCK_NONBLOCK and SOCK_CLOEXEC, as the LSM hook sees it. */
SEC("tp/syscalls/sys_enter_socket")
int socket_create_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;

	record = reserve(CANISTER_MODEL_OBS_SOCKET_CREATE, struct canister_model_obs_socket,
			 &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
	record->family = ctx->args[0];
	record->type = ctx->args[1] & CN_SOCK_TYPE_MASK;
	record->protocol = ctx->args[2];
	record_submit(record, wanted);
	return 0;
}

/* bind(2), connect(2): the address as the caller wrote it, read at entry. */
static __always_inline int socket_addressed(struct trace_event_raw_sys_enter *ctx, __u32 kind)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct socket *sock = fd_socket((int)ctx->args[0]);

	if (!sock)
		return 0;
	record = reserve(kind, struct canister_model_obs_socket, &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
	socket_kind(sock, record);
	socket_address(record, (const void *)ctx->args[1], (int)ctx->args[2], true);
	record_submit(record, wanted);
	return 0;
}

SEC("tp/syscalls/sys_enter_bind")
int socket_bind_enter(struct trace_event_raw_sys_enter *ctx)
{
	return socket_addressed(ctx, CANISTER_MODEL_OBS_SOCKET_BIND);
}

SEC("tp/syscalls/sys_enter_connect")
int socket_connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	return socket_addressed(ctx, CANISTER_MODEL_OBS_SOCKET_CONNECT);
}

/* listen(2): the backlog as the LSM hook gets it, capped at net.core.somaxconn. */
SEC("tp/syscalls/sys_enter_listen")
int socket_listen_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct socket *sock = fd_socket((int)ctx->args[0]);
	__u32 backlog = (__u32)ctx->args[1], somaxconn;
	struct sock *sk;

	if (!sock)
		return 0;
	record = reserve(CANISTER_MODEL_OBS_SOCKET_LISTEN, struct canister_model_obs_socket,
			 &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
	socket_kind(sock, record);
	sk = BPF_CORE_READ(sock, sk);
	somaxconn = BPF_CORE_READ(sk, __sk_common.skc_net.net, core.sysctl_somaxconn);
	record->backlog = backlog > somaxconn ? somaxconn : backlog;
	record_submit(record, wanted);
	return 0;
}

static __always_inline int socket_accepting(struct trace_event_raw_sys_enter *ctx)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct socket *sock = fd_socket((int)ctx->args[0]);

	if (!sock)
		return 0;
	record = reserve(CANISTER_MODEL_OBS_SOCKET_ACCEPT, struct canister_model_obs_socket,
			 &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
	socket_kind(sock, record);
	socket_local_address(sock, record);
	record_submit(record, wanted);
	return 0;
}

SEC("tp/syscalls/sys_enter_accept")
int socket_accept_enter(struct trace_event_raw_sys_enter *ctx)
{
	return socket_accepting(ctx);
}

SEC("tp/syscalls/sys_enter_accept4")
int socket_accept_enter4(struct trace_event_raw_sys_enter *ctx)
{
	return socket_accepting(ctx);
}

/*
 * A capability granted (the BPF LSM hook runs only after the capability
 * module granted it, so lsm mode sees the same).  The tracepoint has no
 * CAP_OPT_* flags: opts is 0 here.
 */
SEC("tp_btf/cap_capable")
int BPF_PROG(capable_cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_capable *record;

	if (ret != 0)
		return 0;
	record = reserve(CANISTER_MODEL_OBS_CAPABLE, struct canister_model_obs_capable, &wanted);
	if (!record)
		return 0;
	record->cap = cap;
	record->opts = 0;
	record_submit(record, wanted);
	return 0;
}

/*
 * The setuid and setgid families: the new ids exist only once the call
 * returns, the COE is the credentials before it: remembered at entry per
 * thread, recorded at a successful exit.
 */
struct setid_entry {
	struct canister_model_obs_coe coe;
	__u32 kind, flags;
};

/* LRU: a thread killed inside the call never reaches its exit; its entry must not stay. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64); /* pid_tgid: the thread */
	__type(value, struct setid_entry);
} model_setid_entries SEC(".maps");

static __always_inline int setid_enter(__u32 kind, __u32 flags)
{
	__u64 thread = bpf_get_current_pid_tgid(), contid;
	struct setid_entry entry = { .kind = kind, .flags = flags };

	if (!current_wanted(&contid))
		return 0;
	coe_of(current_cred(), &entry.coe);
	if (bpf_map_update_elem(&model_setid_entries, &thread, &entry, BPF_ANY))
		model_count(CANISTER_MODEL_OBS_STASH_FULL);
	return 0;
}

static __always_inline int setid_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 thread = bpf_get_current_pid_tgid();
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_setid *record;
	struct setid_entry *entry, saved;
	const struct cred *cred;
	__u32 old_fs;

	entry = bpf_map_lookup_elem(&model_setid_entries, &thread);
	if (!entry)
		return 0;
	saved = *entry;
	bpf_map_delete_elem(&model_setid_entries, &thread);
	cred = current_cred();
	if (saved.flags == CN_LSM_SETID_FS) {
		/* setfsuid/setfsgid return the old id: the hook runs only for a change. */
		old_fs =
			saved.kind == CANISTER_MODEL_OBS_SETUID ? saved.coe.fsuid : saved.coe.fsgid;
		if ((saved.kind == CANISTER_MODEL_OBS_SETUID
			     ? BPF_CORE_READ(cred, fsuid.val)
			     : BPF_CORE_READ(cred, fsgid.val)) == old_fs)
			return 0;
	} else if (ctx->ret != 0) {
		return 0;
	}
	record = reserve(saved.kind, struct canister_model_obs_setid, &wanted);
	if (!record)
		return 0;
	record->head.coe = saved.coe;
	if (saved.kind == CANISTER_MODEL_OBS_SETUID) {
		record->id = BPF_CORE_READ(cred, uid.val);
		record->eid = BPF_CORE_READ(cred, euid.val);
		record->sid = BPF_CORE_READ(cred, suid.val);
		record->fsid = BPF_CORE_READ(cred, fsuid.val);
	} else {
		record->id = BPF_CORE_READ(cred, gid.val);
		record->eid = BPF_CORE_READ(cred, egid.val);
		record->sid = BPF_CORE_READ(cred, sgid.val);
		record->fsid = BPF_CORE_READ(cred, fsgid.val);
	}
	record->flags = saved.flags;
	record->pad = 0;
	record_submit(record, wanted);
	return 0;
}

#define SETID(call, kind, name, flags)                                 \
	SEC("tp/syscalls/sys_enter_" #call)                            \
	int name##_enter_##call(struct trace_event_raw_sys_enter *ctx) \
	{                                                              \
		return setid_enter(CANISTER_MODEL_OBS_##kind, flags);  \
	}                                                              \
	SEC("tp/syscalls/sys_exit_" #call)                             \
	int name##_exit_##call(struct trace_event_raw_sys_exit *ctx)   \
	{                                                              \
		return setid_exit(ctx);                                \
	}

SETID(setuid, SETUID, task_fix_setuid, CN_LSM_SETID_ID)
SETID(setreuid, SETUID, task_fix_setuid, CN_LSM_SETID_RE)
SETID(setresuid, SETUID, task_fix_setuid, CN_LSM_SETID_RES)
SETID(setfsuid, SETUID, task_fix_setuid, CN_LSM_SETID_FS)
SETID(setgid, SETGID, task_fix_setgid, CN_LSM_SETID_ID)
SETID(setregid, SETGID, task_fix_setgid, CN_LSM_SETID_RE)
SETID(setresgid, SETGID, task_fix_setgid, CN_LSM_SETID_RES)
SETID(setfsgid, SETGID, task_fix_setgid, CN_LSM_SETID_FS)

/*
 * mount(2) (not the new mount API): its strings as the caller wrote them,
 * read at the exit, once the kernel has copied them: at the entry a string
 * on a page not yet faulted in cannot be read.  The pointers are
 * remembered at the entry, per thread.
 */
struct mount_entry {
	const char *dev, *dir, *type;
	__u64 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64); /* pid_tgid: the thread */
	__type(value, struct mount_entry);
} model_mount_entries SEC(".maps");

SEC("tp/syscalls/sys_enter_mount")
int sb_mount_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 thread = bpf_get_current_pid_tgid(), contid;
	struct mount_entry entry = {
		.dev = (const char *)ctx->args[0],
		.dir = (const char *)ctx->args[1],
		.type = (const char *)ctx->args[2],
		.flags = ctx->args[3],
	};

	if (!current_wanted(&contid))
		return 0;
	if (bpf_map_update_elem(&model_mount_entries, &thread, &entry, BPF_ANY))
		model_count(CANISTER_MODEL_OBS_STASH_FULL);
	return 0;
}

SEC("tp/syscalls/sys_exit_mount")
int sb_mount_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 thread = bpf_get_current_pid_tgid();
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mount *record;
	struct mount_entry *entry, saved;

	entry = bpf_map_lookup_elem(&model_mount_entries, &thread);
	if (!entry)
		return 0;
	saved = *entry;
	bpf_map_delete_elem(&model_mount_entries, &thread);
	record = reserve(CANISTER_MODEL_OBS_MOUNT, struct canister_model_obs_mount, &wanted);
	if (!record)
		return 0;
	record->flags = saved.flags;
	record->pad = 0;
	record->dev_len = mount_string(record->dev, sizeof(record->dev), saved.dev, true);
	record->path_len = mount_string(record->path, sizeof(record->path), saved.dir, true);
	record->type_len = mount_string(record->type, sizeof(record->type), saved.type, true);
	record_submit(record, wanted);
	return 0;
}

/*
 * mmap(2) whose applied protection has PROT_EXEC, derived as lsm mode's
 * hook is given it (exec_memory.bpf.h): a file by its descriptor and inode,
 * anonymous memory (a memfd's too) by nothing.
 */
SEC("tp/syscalls/sys_enter_mmap")
int mmap_file_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mmap *record;
	__u32 reqprot = ctx->args[2], flags = ctx->args[3], prot;
	struct file *file = NULL;
	int fd = (int)ctx->args[4];
	bool anonymous;

	/* Neither asked nor implied: at once, before any lookup (most mappings). */
	if (!(reqprot & CN_PROT_EXEC) && !((reqprot & CN_PROT_READ) && read_implies_exec()))
		return 0;
	if (!(flags & CN_MAP_ANONYMOUS)) {
		file = fd_file(fd);
		/* A bad descriptor: mmap fails before the LSM hook. */
		if (!file)
			return 0;
	}
	prot = mmap_applied_prot(file, reqprot);
	if (!(prot & CN_PROT_EXEC))
		return 0;
	anonymous = mmap_memory_anonymous(file, prot, flags);
	record = reserve(CANISTER_MODEL_OBS_MMAP, struct canister_model_obs_mmap, &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->anonymous, 0, sizeof(*record) - sizeof(record->head));
	record->reqprot = reqprot;
	record->prot = prot;
	record->flags = flags;
	record->anonymous = anonymous;
	record->fd = anonymous ? -1 : fd;
	if (!anonymous)
		file_identity(file, record);
	record_submit(record, wanted);
	return 0;
}

/* Datagrams sent to an address: after fd_socket(), which they use. */
#include "observe_dgram_trace.bpf.h"
/* move_mount(2): after fd_file(), which it uses. */
#include "observe_move_mount.bpf.h"
/* mprotect adding PROT_EXEC (file_mprotect). */
#include "observe_mprotect_trace.bpf.h"
/* SysV shm attached executable (mmap_file). */
#include "observe_shmat_trace.bpf.h"
/* 32-bit system calls, whose tracepoints never fire: after CN_PTRACE_*, which it uses. */
#include "observe_compat_trace.bpf.h"
