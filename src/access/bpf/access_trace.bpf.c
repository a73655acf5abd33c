// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: trace mode: no BPF LSM, so nothing of a held policy's TCP ports
 * is denied; the bind and connect calls of labelled processes that a level
 * would refuse (and a listen() binding to port 0 on its own) are seen at
 * the syscall's entry and reported, recorded only.
 */
#include "access_maps.bpf.h"
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define CN_S_IFMT 00170000
#define CN_S_IFSOCK 0140000
#define CN_MSG_FASTOPEN 0x20000000

/* The socket of the current process's descriptor @fd, or NULL. */
static __always_inline struct socket *fd_socket(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds;
	struct file *file = NULL;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(task, files, fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return NULL;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & CN_S_IFMT) != CN_S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(file, private_data);
}

/*
 * bind(fd, addr, addrlen) and connect(fd, addr, addrlen) as they are called:
 * the address is read from the caller's memory at entry (another thread may
 * change it before the kernel copies it: a record, not a decision).
 */
static __always_inline int record_net(struct trace_event_raw_sys_enter *ctx, __u32 right,
				      const void *user_address, int addrlen)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = bpf_map_lookup_elem(&labels, &tgid);
	struct {
		__u16 family;
		__be16 port;
	} head;
	struct socket *sock;

	if (!label || label->contid == CANISTER_CONTID_UNSET || !user_address ||
	    addrlen < (int)sizeof(head))
		return 0;
	if (bpf_probe_read_user(&head, sizeof(head), user_address) ||
	    !port_address(head.family, right))
		return 0;
	sock = fd_socket((int)ctx->args[0]);
	if (!sock || !tcp_socket(sock))
		return 0;
	judge_and_report(label->contid, tgid, right, bpf_ntohs(head.port), true, false);
	return 0;
}

SEC("tp/syscalls/sys_enter_bind")
int canister_access_trace_bind(struct trace_event_raw_sys_enter *ctx)
{
	return record_net(ctx, CANISTER_ACCESS_LSM_BIND, (void *)ctx->args[1], (int)ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_connect")
int canister_access_trace_connect(struct trace_event_raw_sys_enter *ctx)
{
	return record_net(ctx, CANISTER_ACCESS_LSM_CONNECT, (void *)ctx->args[1],
			  (int)ctx->args[2]);
}

/*
 * listen(fd, backlog) on a TCP socket with no local port: the bind to port
 * 0 it makes (lsm mode's socket_listen), recorded.  Read at the syscall's
 * entry: another thread may bind the socket before the kernel listens (a
 * record, not a decision).
 */
SEC("tp/syscalls/sys_enter_listen")
int canister_access_trace_autobind(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = bpf_map_lookup_elem(&labels, &tgid);
	struct socket *sock;

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	sock = fd_socket((int)ctx->args[0]);
	if (!sock || !listen_autobinds(sock))
		return 0;
	judge_and_report(label->contid, tgid, CANISTER_ACCESS_LSM_BIND, 0, true, true);
	return 0;
}

/*
 * sendto(fd, buf, len, flags, addr, addrlen) with MSG_FASTOPEN: a TCP Fast
 * Open connect.  (sendmsg()'s address sits in a msghdr: not recorded.)
 */
SEC("tp/syscalls/sys_enter_sendto")
int canister_access_trace_fastopen(struct trace_event_raw_sys_enter *ctx)
{
	if (!(ctx->args[3] & CN_MSG_FASTOPEN))
		return 0;
	return record_net(ctx, CANISTER_ACCESS_LSM_CONNECT, (void *)ctx->args[4],
			  (int)ctx->args[5]);
}
