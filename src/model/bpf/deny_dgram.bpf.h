/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: a datagram sent to an address
 * judged and recorded as the socket_connect it amounts to
 * (observe_dgram.bpf.h), so that an enforced domain's connect denial is
 * not a sendto() away (TCP Fast Open's connect is judged beside it).  Included by observe_lsm.bpf.c
 * after socket_addressed_noted(), which judges and records it as it does a connect() to the same
 * address.
 */
#ifndef CANISTER_MODEL_DENY_DGRAM_BPF_H
#define CANISTER_MODEL_DENY_DGRAM_BPF_H

#include "observe_deny.bpf.h"
#include "observe_dgram.bpf.h"

/*
 * Every send with an address on a datagram or raw inet or AF_UNIX socket:
 * sendto(), sendmsg(), each message of sendmmsg(), io_uring's; @msg_name
 * is the kernel's copy of the caller's.  A send without one (a connected
 * socket's) is no event: its connect was judged.  One path reaches the
 * judgement, with nothing but the hook's arguments live: the verifier
 * walks the coefficient's hash once for every distinct state that reaches
 * it (two were more than it takes).  The program's name starts with the
 * event's.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(socket_connect_dgram_lsm, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	struct dgram_peers *peers;
	const void *address;
	bool recorded = false;
	__u64 contid = 0;
	__u32 *epoch;
	int len, r;

	if (ret)
		return ret;
	address = BPF_CORE_READ(msg, msg_name);
	len = BPF_CORE_READ(msg, msg_namelen);
	if (!address || len <= 0 || !dgram_socket(sock) || !current_wanted(&contid))
		return 0;
	epoch = bpf_map_lookup_elem(&model_enforced, &contid);
	peers = dgram_peer_now(sock, address, len, false, contid, epoch ? *epoch : 0);
	/* No memory for it: denied when enforced (the model cannot vouch), else not recorded. */
	if (!peers)
		return epoch ? -EPERM : 0;
	if (dgram_peer_seen(peers))
		return 0;
	r = socket_addressed_noted(sock, (struct sockaddr *)address, len,
				   CANISTER_MODEL_OBS_SOCKET_CONNECT, &recorded);
	if (r)
		return r;
	/*
	 * Remembered once allowed by an enforced model (its epoch is never 0),
	 * or once recorded for one that learns or is sealed (a record lost to
	 * the budget is not learned: the next send tries again).
	 */
	peers = bpf_task_storage_get(&model_dgram_peers, bpf_get_current_task_btf(), 0, 0);
	if (peers && (peers->now.epoch || recorded))
		dgram_peer_note(peers);
	return r;
}

#endif
