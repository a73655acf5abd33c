// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: lsm mode: the TCP bind/connect ports and the capability bound of
 * every container's held access policy, decided in the kernel, with or
 * without canisterd.
 */
#include "../../identity/bpf/pending.bpf.h"
#include "../lsm_abi.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1
#define EACCES 13
/* vmlinux.h has the enums, not the macros; our own names keep them apart. */
#define CN_AF_UNSPEC 0
#define CN_AF_INET 2
#define CN_AF_INET6 10
#define CN_SOCK_STREAM 1
#define CN_IPPROTO_TCP 6
#define CN_IPPROTO_MPTCP 262

/*
 * Written by canisterd only (the guard keeps every other process off them)
 * and pinned: they and the pinned links keep deciding after canisterd is
 * gone.  access_policies: contid -> its own policy's mode, handled net
 * rights and dropped capabilities; access_ports: (contid, right) -> the
 * ports it grants.  Written before the load request is answered.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ACCESS_LSM_CONTAINERS_MAX);
	__type(key, __u64);
	__type(value, struct canister_access_lsm_policy);
} access_policies SEC(".maps");

/* 8 KiB a value: allocated per handled right of a loaded policy, not for every slot. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * CANISTER_ACCESS_LSM_CONTAINERS_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_access_lsm_ports_key);
	__type(value, struct canister_access_lsm_ports);
} access_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_ACCESS_LSM_REPORTS_BYTES);
} access_reports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_ACCESS_LSM_COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} access_counts SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&access_counts, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/* Whether @policy, @contid's own, refuses @right on @object (a port, or a capability). */
static __always_inline bool refuses(const struct canister_access_lsm_policy *policy, __u64 contid,
				    __u32 right, __u32 object)
{
	struct canister_access_lsm_ports_key key = { .contid = contid, .right = right };
	struct canister_access_lsm_ports *ports;
	__u32 index;
	__u64 word;

	if (right == CANISTER_ACCESS_LSM_CAPABLE)
		return object < 64 && (policy->cap_dropped >> object) & 1;
	if (!(policy->net_handled & right))
		return false;
	ports = bpf_map_lookup_elem(&access_ports, &key);
	if (!ports)
		return true;
	index = object >> 6;
	/* Kept in a register as is: clang folds a mask into the scaling, which the verifier loses.
	 */
	asm volatile("" : "+r"(index));
	if (index >= CANISTER_ACCESS_LSM_PORT_WORDS)
		return true;
	word = ports->words[index];
	return !((word >> (object & 63)) & 1);
}

/*
 * The level of @contid's chain that refuses: an enforcing one first (then
 * *@ret_enforce), else the innermost complaining one.  The containers map
 * gives the parents; the walk stops at the nesting limit.  Returns whether
 * one refuses.
 */
static __always_inline bool refusing_level(__u64 contid, __u32 right, __u32 object, __u64 *ret_by,
					   bool *ret_enforce)
{
	bool found = false;

	*ret_enforce = false;
	for (int depth = 0; depth < CANISTER_ACCESS_LSM_NEST_MAX; depth++) {
		struct canister_access_lsm_policy *policy;
		struct canister_container *container;

		if (contid == CANISTER_CONTID_UNSET)
			break;
		policy = bpf_map_lookup_elem(&access_policies, &contid);
		if (policy && refuses(policy, contid, right, object)) {
			if (policy->mode == CANISTER_ACCESS_LSM_ENFORCE) {
				*ret_by = contid;
				*ret_enforce = true;
				return true;
			}
			if (!found)
				*ret_by = contid;
			found = true;
		}
		container = bpf_map_lookup_elem(&containers, &contid);
		if (!container)
			break;
		contid = container->parent;
	}
	return found;
}

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
	struct canister_access_lsm_report *report;
	bool enforce;
	__u64 by;

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return 0;
	if (!refusing_level(label->contid, right, object, &by, &enforce))
		return 0;
	count(enforce ? CANISTER_ACCESS_LSM_DENIED : CANISTER_ACCESS_LSM_COMPLAINED);
	report = bpf_ringbuf_reserve(&access_reports, sizeof(*report), 0);
	if (!report) {
		count(CANISTER_ACCESS_LSM_LOST);
		return enforce ? error : 0;
	}
	report->contid = label->contid;
	report->by = by;
	report->tgid = tgid;
	report->right = right;
	report->object = object;
	report->denied = enforce;
	bpf_get_current_comm(report->comm, sizeof(report->comm));
	bpf_ringbuf_submit(report, 0);
	return enforce ? error : 0;
}

/*
 * A TCP port bound or connected to, as Landlock's net rights mean it: TCP
 * (and MPTCP, TCP to a policy) over IPv4 or IPv6.  AF_UNSPEC is a
 * disconnect for connect, and for bind on an IPv4 socket the kernel takes it
 * as AF_INET: decided.  Too short an address the kernel refuses itself.
 */
static __always_inline int net_decide(struct socket *sock, struct sockaddr *address, int addrlen,
				      __u32 right)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 family, protocol;
	__be16 port;

	if (!sk || BPF_CORE_READ(sock, type) != CN_SOCK_STREAM)
		return 0;
	protocol = BPF_CORE_READ(sk, sk_protocol);
	if (protocol != CN_IPPROTO_TCP && protocol != CN_IPPROTO_MPTCP)
		return 0;
	if (addrlen < (int)(sizeof(family) + sizeof(port)))
		return 0;
	family = BPF_CORE_READ(address, sa_family);
	if (family == CN_AF_UNSPEC && right == CANISTER_ACCESS_LSM_CONNECT)
		return 0;
	if (family != CN_AF_UNSPEC && family != CN_AF_INET && family != CN_AF_INET6)
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
