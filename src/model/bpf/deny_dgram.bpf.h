/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: the sends that connect, a TCP Fast
 * Open connect and a datagram sent to an address (observe_dgram.bpf.h),
 * judged and recorded as the socket_connect they amount to, so that an
 * enforced domain's connect denial is not a sendto() away.  Included by observe_lsm.bpf.c after
 * socket_addressed_noted(), which judges and records it as it does a
 * connect() to the same address.
 */
#ifndef CANISTER_MODEL_DENY_DGRAM_BPF_H
#define CANISTER_MODEL_DENY_DGRAM_BPF_H

#include "observe_deny.bpf.h"
#include "observe_dgram.bpf.h"

#define CN_MSG_FASTOPEN 0x20000000

/*
 * TCP Fast Open: sendto() or sendmsg() with MSG_FASTOPEN and an address
 * connects a TCP (or MPTCP) socket inside the send (tcp_sendmsg_fastopen()),
 * with no connect() and so no socket_connect hook: an enforced domain's
 * connect denial would be a sendto() away.
 */
static __always_inline bool fastopen_connect(struct socket *sock, struct msghdr *msg)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 protocol;

	if (!(BPF_CORE_READ(msg, msg_flags) & CN_MSG_FASTOPEN) || !sk ||
	    BPF_CORE_READ(sock, type) != SOCK_STREAM)
		return false;
	protocol = BPF_CORE_READ(sk, sk_protocol);
	return protocol == IPPROTO_TCP || protocol == IPPROTO_MPTCP;
}

/*
 * A send that connects: a TCP Fast Open connect, and every send with an
 * address on a datagram or raw inet or AF_UNIX socket (sendto(),
 * sendmsg(), each message of sendmmsg(), io_uring's; @msg_name is the
 * kernel's copy of the caller's).  Both judged and recorded as the
 * socket_connect they are (the same CELL), by one program so that the
 * verifier walks the coefficient's hash once.  A send without an address
 * (a connected socket's) is no event: its connect was judged.  The
 * program's name starts with the event's.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(socket_connect_sendmsg_lsm, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	struct dgram_peers *peers;
	const void *address;
	bool recorded = false, datagram;
	__u32 remember = 0, *epoch;
	__u64 contid = 0;
	int len, r;

	if (ret)
		return ret;
	address = BPF_CORE_READ(msg, msg_name);
	len = BPF_CORE_READ(msg, msg_namelen);
	if (!address || len <= 0)
		return 0;
	datagram = dgram_socket(sock);
	if (!datagram && !fastopen_connect(sock, msg))
		return 0;
	if (datagram) {
		if (!current_wanted(&contid))
			return 0;
		epoch = bpf_map_lookup_elem(&model_enforced, &contid);
		peers = dgram_peer_now(sock, address, len, false, contid, epoch ? *epoch : 0);
		if (peers && dgram_peer_seen(peers))
			return 0;
		/*
		 * Only a scalar lives across the judgement: the verifier walks
		 * the coefficient's hash once for every distinct state that
		 * reaches it.
		 */
		remember = peers ? 1 + (epoch != NULL) : 0;
	}
	r = socket_addressed_noted(sock, (struct sockaddr *)address, len,
				   CANISTER_MODEL_OBS_SOCKET_CONNECT, &recorded);
	/*
	 * A datagram's peer is remembered once allowed by an enforced model (2),
	 * or once recorded for one that learns or is sealed (1: a record lost
	 * to the budget is not learned, and the next send tries again).
	 */
	if (r || !remember || (remember == 1 && !recorded))
		return r;
	peers = bpf_task_storage_get(&model_dgram_peers, bpf_get_current_task_btf(), 0, 0);
	if (peers)
		dgram_peer_note(peers);
	return r;
}

#endif
