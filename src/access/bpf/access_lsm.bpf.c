// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: lsm mode: the TCP bind/connect ports and the capability bound of
 * every container's held access policy, decided in the kernel, with or
 * without canisterd.
 */
#include "../../identity/bpf/pending.bpf.h"
#include "access_maps.bpf.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define EACCES 13
#define CN_MSG_FASTOPEN 0x20000000

/*
 * The current process's decision on @right and @object: 0, or @error when a
 * level of its chain enforces a refusal; every refusal counted and reported.
 * Host processes (canisterd too) and delegated orchestrators outside
 * containers have no chain: never decided.
 */
static __always_inline int decide(__u32 right, __u32 object, int error)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *label = task_label(bpf_get_current_task_btf(), tgid);

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	return judge_and_report(label->contid, tgid, right, object, false) ? error : 0;
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
	return decide(right, bpf_ntohs(port), -EACCES);
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
	return decide(CANISTER_ACCESS_LSM_CAPABLE, (__u32)cap, -EPERM);
}
