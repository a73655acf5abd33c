// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: lsm mode: the non-file events of wanted
 * containers at the LSM hooks TSEM names them after.  An enforced domain's
 * socket_create, socket_bind, socket_connect, socket_listen, socket_accept
 * (AF_UNIX addresses too: deny_unix.bpf.h; a datagram sent to an address
 * as the connect it amounts to: deny_dgram.bpf.h), task_kill and
 * ptrace_access_check are judged here (observe_deny.bpf.h), and its audited
 * capable checks, task_fix_setuid, task_fix_setgid and sb_mount
 * (deny_cred.bpf.h), move_mount (deny_move_mount.bpf.h), anonymous mmap
 * with PROT_EXEC (deny_mmap.bpf.h) and mprotect making anonymous memory
 * executable (deny_mprotect.bpf.h), and denied with -EPERM outside its
 * model; every
 * other event, and every event of a learning or sealed domain, is recorded
 * only (the program returns the verdict it was given).  Each program's
 * name starts with its event's, for the loader's report of what is
 * unavailable.
 */
#define CANISTER_MODEL_OBSERVE_LSM 1
#include "deny_cred.bpf.h"
#include "observe_deny.bpf.h"
#include "deny_unix.bpf.h"
#include "mount_point.bpf.h"
#include "deny_mmap.bpf.h"
#include "deny_mprotect.bpf.h"
#include "deny_thread_exec.bpf.h"
#include "observe_objects.bpf.h"
#include "observe_origin.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1

/*
 * Signals a process sent (the hook runs for the kill family of calls, the
 * kernel's own signals never pass it), as trace mode sees them: never
 * signal 0 (a probe for existence, which generates no signal).
 */
SEC("lsm/task_kill")
int BPF_PROG(task_kill_lsm, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_kill *record;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	__u64 contid = 0;

	if (ret || sig == 0)
		return ret;
	if (enforced(&contid, &s) && !s) {
		v.denied = 1;
	} else if (s) {
		__u32 tgid = BPF_CORE_READ(p, tgid);
		struct canister_label *label = label_of(p, tgid);
		__u8 *target = target_task_id(p);

		if (target)
			deny_judge(
				s, contid, CANISTER_MODEL_OBS_KILL,
				cn_kc_cell_kill(s, target, sig, !label || label->contid != contid),
				&v);
		else
			v.denied = 1; /* a target the gate never saw: the model cannot vouch */
	}
	record = reserve(CANISTER_MODEL_OBS_KILL, struct canister_model_obs_kill, &wanted);
	if (record) {
		kill_target(record, p, sig);
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

/*
 * Every access check: an attach, and /proc reads of another process (its
 * environ, mem, fds), process_vm_*; never a process's own (the kernel
 * allows those before the hook).
 */
SEC("lsm/ptrace_access_check")
int BPF_PROG(ptrace_access_check_lsm, struct task_struct *child, unsigned int mode, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_ptrace *record;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	__u64 contid = 0;

	if (ret)
		return ret;
	if (enforced(&contid, &s) && !s) {
		v.denied = 1;
	} else if (s) {
		__u8 *target = target_task_id(child);

		if (target)
			deny_judge(s, contid, CANISTER_MODEL_OBS_PTRACE,
				   cn_kc_cell_ptrace(s, target, mode), &v);
		else
			v.denied = 1; /* a target the gate never saw: the model cannot vouch */
	}
	record = reserve(CANISTER_MODEL_OBS_PTRACE, struct canister_model_obs_ptrace, &wanted);
	if (record) {
		record->target_tgid = BPF_CORE_READ(child, tgid);
		record->mode = mode;
		record->pid_level = 0;
		record->pad = 0;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

SEC("lsm/socket_create")
int BPF_PROG(socket_create_lsm, int family, int type, int protocol, int kern, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	__u64 contid = 0;

	if (ret)
		return ret;
	/* The kernel's own sockets are no process's event to deny. */
	if (!kern && enforced(&contid, &s) && !s)
		v.denied = 1;
	else if (!kern && s)
		deny_judge(s, contid, CANISTER_MODEL_OBS_SOCKET_CREATE,
			   cn_kc_cell_socket_fields(s, family, type, protocol, kern), &v);
	record = reserve(CANISTER_MODEL_OBS_SOCKET_CREATE, struct canister_model_obs_socket,
			 &wanted);
	if (record) {
		__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
		record->family = family;
		record->type = type;
		record->protocol = protocol;
		record->kern = kern;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

/* Judges and records an event naming @address; *@ret_recorded says whether a record went out. */
static __always_inline int socket_addressed_noted(struct socket *sock, struct sockaddr *address,
						  int addrlen, __u32 kind, bool *ret_recorded)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	__u64 contid = 0;

	if (enforced(&contid, &s) && !s) {
		v.denied = 1;
	} else if (s) {
		struct sock *sk = BPF_CORE_READ(sock, sk);
		__u8 addr[CN_KC_ADDR_READ] = {};
		__u64 n = addrlen < 0 ? 0 : (__u64)(__u32)addrlen;

		if (n > CN_KC_ADDR_READ)
			n = CN_KC_ADDR_READ;
		/* As socket_address(): the bound kept in a register for the verifier. */
		asm volatile("" : "+r"(n));
		if (n > CN_KC_ADDR_READ || !address || bpf_probe_read_kernel(addr, n, address) < 0)
			n = 0;
		if (n >= 2 && addr[0] == CN_AF_UNIX && addr[1] == 0)
			deny_unix_judge(s, contid, kind, address, addrlen,
					BPF_CORE_READ(sock, type),
					sk ? BPF_CORE_READ(sk, sk_protocol) : 0, &v);
		else
			deny_judge(s, contid, kind,
				   cn_kc_cell_socket_address(
					   s, addr, (__u32)n, BPF_CORE_READ(sock, type),
					   sk ? BPF_CORE_READ(sk, sk_protocol) : 0),
				   &v);
	}
	record = reserve(kind, struct canister_model_obs_socket, &wanted);
	if (record) {
		__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
		socket_kind(sock, record);
		socket_address(record, address, addrlen, false);
		deny_note(&record->head, &v);
		record_submit(record, wanted);
		*ret_recorded = true;
	}
	return v.denied ? -EPERM : 0;
}

static __always_inline int socket_addressed(struct socket *sock, struct sockaddr *address,
					    int addrlen, __u32 kind)
{
	bool recorded = false;

	return socket_addressed_noted(sock, address, addrlen, kind, &recorded);
}

SEC("lsm/socket_bind")
int BPF_PROG(socket_bind_lsm, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return ret;
	return socket_addressed(sock, address, addrlen, CANISTER_MODEL_OBS_SOCKET_BIND);
}

SEC("lsm/socket_connect")
int BPF_PROG(socket_connect_lsm, struct socket *sock, struct sockaddr *address, int addrlen,
	     int ret)
{
	if (ret)
		return ret;
	return socket_addressed(sock, address, addrlen, CANISTER_MODEL_OBS_SOCKET_CONNECT);
}

#define CN_MSG_FASTOPEN 0x20000000

/*
 * TCP Fast Open: sendto() or sendmsg() with MSG_FASTOPEN and an address
 * connects a TCP (or MPTCP) socket inside the send (tcp_sendmsg_fastopen()),
 * with no connect() and so no socket_connect hook: judged and recorded here
 * as the socket_connect it is (the same CELL), or an enforced domain's
 * connect denial would be a sendto() away.  The program's name starts with
 * the event's.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(socket_connect_fastopen_lsm, struct socket *sock, struct msghdr *msg, int size,
	     int ret)
{
	struct sockaddr *address;
	struct sock *sk;
	__u16 protocol;

	if (ret || !(BPF_CORE_READ(msg, msg_flags) & CN_MSG_FASTOPEN))
		return ret;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sock, type) != SOCK_STREAM)
		return 0;
	protocol = BPF_CORE_READ(sk, sk_protocol);
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_MPTCP)
		return 0;
	address = BPF_CORE_READ(msg, msg_name);
	if (!address)
		return 0;
	return socket_addressed(sock, address, BPF_CORE_READ(msg, msg_namelen),
				CANISTER_MODEL_OBS_SOCKET_CONNECT);
}

/* Datagrams sent to an address: after socket_addressed_noted(), which they use. */
#include "deny_dgram.bpf.h"

SEC("lsm/socket_listen")
int BPF_PROG(socket_listen_lsm, struct socket *sock, int backlog, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	struct socket_kind_of kind;
	__u64 contid = 0;

	if (ret)
		return ret;
	if (enforced(&contid, &s) && !s) {
		v.denied = 1;
	} else if (s) {
		socket_kind_read(sock, &kind);
		/* The backlog capped at somaxconn, as trace mode and the record have it. */
		deny_judge(
			s, contid, CANISTER_MODEL_OBS_SOCKET_LISTEN,
			cn_kc_cell_socket_fields(s, kind.family, kind.type, kind.protocol, backlog),
			&v);
	}
	record = reserve(CANISTER_MODEL_OBS_SOCKET_LISTEN, struct canister_model_obs_socket,
			 &wanted);
	if (record) {
		__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
		socket_kind(sock, record);
		record->backlog = backlog;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

/* Judged by the listening socket's local address (an AF_UNIX one's path: deny_unix.bpf.h). */
SEC("lsm/socket_accept")
int BPF_PROG(socket_accept_lsm, struct socket *sock, struct socket *newsock, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	struct socket_kind_of kind;
	__u64 contid = 0;

	if (ret)
		return ret;
	if (enforced(&contid, &s) && !s) {
		v.denied = 1;
	} else if (s) {
		__u8 addr[CN_KC_ADDR_READ] = {};
		__u32 len;

		socket_kind_read(sock, &kind);
		if (kind.family == CN_AF_UNIX) {
			deny_unix_accept(s, contid, BPF_CORE_READ(sock, sk), kind.type,
					 kind.protocol, &v);
		} else {
			len = socket_inet_local(BPF_CORE_READ(sock, sk), (__u16)kind.family, addr);
			deny_judge(
				s, contid, CANISTER_MODEL_OBS_SOCKET_ACCEPT,
				cn_kc_cell_socket_address(s, addr, len, kind.type, kind.protocol),
				&v);
		}
	}
	record = reserve(CANISTER_MODEL_OBS_SOCKET_ACCEPT, struct canister_model_obs_socket,
			 &wanted);
	if (record) {
		__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
		socket_kind(sock, record);
		socket_local_address(sock, record);
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

SEC("lsm/capable")
int BPF_PROG(capable_lsm, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_capable *record;
	struct deny_verdict v = {};

	if (ret)
		return ret;
	deny_capable(cred, cap, opts, &v);
	record = reserve(CANISTER_MODEL_OBS_CAPABLE, struct canister_model_obs_capable, &wanted);
	if (record) {
		record->cap = cap;
		record->opts = opts;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

/* The COE is the credentials before the change (@old), the CELL the new ids. */
static __always_inline int setid(__u32 kind, struct cred *new, const struct cred *old, int flags)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_setid *record;
	struct deny_verdict v = {};
	__u32 ids[4];

	if (kind == CANISTER_MODEL_OBS_SETUID) {
		ids[0] = BPF_CORE_READ(new, uid.val);
		ids[1] = BPF_CORE_READ(new, euid.val);
		ids[2] = BPF_CORE_READ(new, suid.val);
		ids[3] = BPF_CORE_READ(new, fsuid.val);
	} else {
		ids[0] = BPF_CORE_READ(new, gid.val);
		ids[1] = BPF_CORE_READ(new, egid.val);
		ids[2] = BPF_CORE_READ(new, sgid.val);
		ids[3] = BPF_CORE_READ(new, fsgid.val);
	}
	deny_setid(kind, ids, flags, &v);
	record = reserve(kind, struct canister_model_obs_setid, &wanted);
	if (record) {
		coe_of(old, &record->head.coe);
		record->id = ids[0];
		record->eid = ids[1];
		record->sid = ids[2];
		record->fsid = ids[3];
		record->flags = flags;
		record->pad = 0;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

SEC("lsm/task_fix_setuid")
int BPF_PROG(task_fix_setuid_lsm, struct cred *new, const struct cred *old, int flags, int ret)
{
	if (ret)
		return ret;
	return setid(CANISTER_MODEL_OBS_SETUID, new, old, flags);
}

SEC("lsm/task_fix_setgid")
int BPF_PROG(task_fix_setgid_lsm, struct cred *new, const struct cred *old, int flags, int ret)
{
	if (ret)
		return ret;
	return setid(CANISTER_MODEL_OBS_SETGID, new, old, flags);
}

/*
 * The mount point as the kernel resolved it (mount_point.bpf.h), for the
 * judgement and the record alike; the device name and type are the
 * kernel's copies.
 */
SEC("lsm/sb_mount")
int BPF_PROG(sb_mount_lsm, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mount *record;
	struct deny_verdict v = {};
	__u64 contid = 0;
	const char *dir;

	/* Only a wanted container's mounts are named: the buffer is task storage. */
	if (ret || !current_wanted(&contid))
		return ret;
	dir = mount_point(path);
	deny_mount(dev_name, dir, type, flags, &v);
	record = reserve(CANISTER_MODEL_OBS_MOUNT, struct canister_model_obs_mount, &wanted);
	if (record) {
		record->flags = flags;
		record->pad = 0;
		record->dev_len = mount_string(record->dev, sizeof(record->dev), dev_name, false);
		record->path_len = mount_string(record->path, sizeof(record->path), dir, false);
		record->type_len = mount_string(record->type, sizeof(record->type), type, false);
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

/*
 * mmap(2) whose applied protection (@prot: @reqprot, the one asked for,
 * with the PROT_EXEC that READ_IMPLIES_EXEC adds) has PROT_EXEC: the
 * personality makes an RW mapping RWX, so the asked one is not what the
 * kernel maps.  An enforced domain's anonymous memory (exec_memory.bpf.h:
 * a memfd's and SysV shm's too, and a file's private mapping both writable
 * and executable) is judged (deny_mmap.bpf.h); a file's
 * mapping is recorded only.
 */
SEC("lsm/mmap_file")
int BPF_PROG(mmap_file_lsm, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mmap *record;
	struct deny_verdict v = {};
	bool anonymous;

	if (ret || !(prot & CN_PROT_EXEC))
		return ret;
	anonymous = mmap_memory_anonymous(file, (__u32)prot, (__u32)flags);
	deny_mmap(anonymous, (__u32)reqprot, (__u32)prot, (__u32)flags, &v);
	record = reserve(CANISTER_MODEL_OBS_MMAP, struct canister_model_obs_mmap, &wanted);
	if (!record)
		return v.denied ? -EPERM : 0;
	__builtin_memset(&record->anonymous, 0, sizeof(*record) - sizeof(record->head));
	record->reqprot = reqprot;
	record->prot = prot;
	record->flags = flags;
	record->anonymous = anonymous;
	record->fd = -1;
	if (!anonymous)
		file_identity(file, record);
	deny_note(&record->head, &v);
	record_submit(record, wanted);
	return v.denied ? -EPERM : 0;
}

/*
 * mprotect and pkey_mprotect whose new protection has PROT_EXEC, once per
 * VMA of the range: @reqprot as the caller asked (trace mode sees it),
 * @prot as applied (PROT_EXEC added by READ_IMPLIES_EXEC, trace mode
 * derives it).  Every other mprotect returns at once: JITs and allocators
 * call it often.  An enforced domain's anonymous memory (exec_memory.bpf.h:
 * shared anonymous memory's shmem file too, and a file's private mapping
 * that is, becomes or was writable) is judged (deny_mprotect.bpf.h);
 * a file's mapping is recorded only.
 */
SEC("lsm/file_mprotect")
int BPF_PROG(file_mprotect_lsm, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_mprotect *record;
	struct deny_verdict v = {};
	bool anonymous;

	if (ret || !(prot & CN_PROT_EXEC))
		return ret;
	anonymous = vma_memory_anonymous(vma, (__u32)prot);
	deny_mprotect(anonymous, (__u32)reqprot, (__u32)prot, &v);
	record = reserve(CANISTER_MODEL_OBS_MPROTECT, struct canister_model_obs_mprotect, &wanted);
	if (record) {
		record->anonymous = anonymous;
		record->reqprot = reqprot;
		record->prot = prot;
		record->pad = 0;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

/*
 * An exec the file gate never sees, denied to an enforced domain: a file
 * reached through a kernel-internal mount (MNT_INTERNAL: a memfd's, SysV
 * shm's or a hugetlb memfd's; docs/model.md, "Execs the gate never sees").
 * No path in any mount namespace leads there, so no fanotify mark of the
 * gate's covers it and its model cannot vouch for what runs.  Every other
 * exec, an unlinked or O_TMPFILE file on a marked filesystem included,
 * passes the gate, which judges it.  bprm_check_security runs for the
 * program and again for each interpreter a binfmt loads, so a script whose
 * interpreter is a memfd is caught too.
 */
SEC("lsm/bprm_check_security")
int BPF_PROG(bprm_set_creds_unseen_lsm, struct linux_binprm *bprm, int ret)
{
	struct canister_model_obs_exec_unseen *record;
	struct canister_model_obs_wanted *wanted;
	struct deny_verdict v = { .denied = 1 };
	struct file *file;
	struct inode *inode;
	__u64 contid = 0;
	long n;

	if (ret)
		return ret;
	file = BPF_CORE_READ(bprm, file);
	if (!file || !(BPF_CORE_READ(file, f_path.mnt, mnt_flags) & CN_MNT_INTERNAL))
		return 0;
	if (!current_wanted(&contid) || !bpf_map_lookup_elem(&model_enforced, &contid))
		return 0;
	record = reserve(CANISTER_MODEL_OBS_EXEC_UNSEEN, struct canister_model_obs_exec_unseen,
			 &wanted);
	if (record) {
		inode = BPF_CORE_READ(file, f_inode);
		record->dev = BPF_CORE_READ(inode, i_sb, s_dev);
		record->ino = BPF_CORE_READ(inode, i_ino);
		record->pad = 0;
		n = bpf_probe_read_kernel_str(record->name, sizeof(record->name),
					      BPF_CORE_READ(file, f_path.dentry, d_name.name));
		/* An empty name when it cannot be read: the record still says what was denied. */
		if (n < 1) {
			record->name[0] = '\0';
			n = 1;
		}
		record->name_len = n - 1;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return -EPERM;
}

/* The new mount API's attach: after EPERM's definition, which it uses. */
#include "deny_move_mount.bpf.h"
