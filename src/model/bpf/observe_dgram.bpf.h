/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: a datagram sent to an address (sendto(),
 * sendmsg() and sendmmsg() with a name, io_uring's send) is the implicit
 * connect udp_sendmsg() and unix_dgram_sendmsg() make it: the event is
 * socket_connect with the CELL a connect() to that address has.  Every
 * datagram passes the hook (or the tracepoint), so each thread remembers
 * the last few peers it sent to (task storage, freed with the thread):
 * a send to one of them, with the same credentials, program, container
 * and enforcement epoch, is neither judged nor recorded again.  Shared by
 * both variants; the programs are deny_dgram.bpf.h's (lsm mode) and
 * observe_dgram_trace.bpf.h's (trace mode).
 */
#ifndef CANISTER_MODEL_OBSERVE_DGRAM_BPF_H
#define CANISTER_MODEL_OBSERVE_DGRAM_BPF_H

#include "observe_objects.bpf.h"

/* The sockets whose named sends are events: datagram and raw (ICMP) ones of these families. */
#define CN_SOCK_DGRAM 2
#define CN_SOCK_RAW 3
#define CN_DGRAM_PEERS 4

/*
 * One send as the cache compares it, whole (its words): everything the
 * coefficient depends on but the TASK_ID's digest, which is the
 * executable's (@exe_dev, @exe_ino) in the process that started at
 * @start_ns.  @epoch is the domain's enforcement (model_enforced's value,
 * a new one each time canisterd enforces it; 0 when not enforced): a
 * domain enforced anew, with another model, judges every peer again.
 */
struct dgram_peer {
	struct canister_model_obs_coe coe;
	__u64 contid, exe_dev, exe_ino, start_ns;
	__u32 epoch, type, protocol, len;
	__u8 addr[CANISTER_MODEL_OBS_ADDR_MAX];
};

#define CN_DGRAM_WORDS (sizeof(struct dgram_peer) / sizeof(__u64))
_Static_assert(sizeof(struct dgram_peer) % sizeof(__u64) == 0, "dgram_peer is compared by words");

/* @now is the send being looked at: too large for the BPF stack beside the hook's own. */
struct dgram_peers {
	struct dgram_peer seen[CN_DGRAM_PEERS];
	struct dgram_peer now;
	__u32 next, pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct dgram_peers);
} model_dgram_peers SEC(".maps");

/* Whether a send with an address on @sock is an event: a datagram or raw inet or AF_UNIX socket.
 */
static __always_inline bool dgram_socket(struct socket *sock)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	short type = BPF_CORE_READ(sock, type);
	__u16 family;

	if (!sk || (type != CN_SOCK_DGRAM && type != CN_SOCK_RAW))
		return false;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	return family == CN_AF_INET || family == CN_AF_INET6 || family == CN_AF_UNIX;
}

/*
 * The current thread's cache, its @now filled with this send (@address:
 * @len bytes, a user pointer when @user), or NULL (no memory: the send is
 * judged and recorded as if new).  The bytes past what was read are zero.
 */
static __always_inline struct dgram_peers *dgram_peer_now(struct socket *sock, const void *address,
							  int len, bool user, __u64 contid,
							  __u32 epoch)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct dgram_peers *peers;
	struct dgram_peer *now;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u64 n = len < 0 ? 0 : (__u64)(__u32)len;

	peers = bpf_task_storage_get(&model_dgram_peers, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!peers)
		return NULL;
	now = &peers->now;
	__builtin_memset(now->addr, 0, sizeof(now->addr));
	coe_of(current_cred(), &now->coe);
	now->contid = contid;
	task_key_of(task, &now->exe_dev, &now->exe_ino, &now->start_ns);
	now->epoch = epoch;
	now->type = BPF_CORE_READ(sock, type);
	now->protocol = sk ? BPF_CORE_READ(sk, sk_protocol) : 0;
	now->len = (__u32)n;
	if (n > CANISTER_MODEL_OBS_ADDR_MAX)
		n = CANISTER_MODEL_OBS_ADDR_MAX;
	/* Kept in a register, as socket_address() does, for the verifier. */
	asm volatile("" : "+r"(n));
	if (n > CANISTER_MODEL_OBS_ADDR_MAX ||
	    (user ? bpf_probe_read_user(now->addr, n, address)
		  : bpf_probe_read_kernel(now->addr, n, address)) < 0)
		return NULL;
	return peers;
}

/* Whether @peers->now is one of the peers this thread already sent to. */
static __always_inline bool dgram_peer_seen(struct dgram_peers *peers)
{
	const __u64 *now = (const __u64 *)&peers->now;

	for (int i = 0; i < CN_DGRAM_PEERS; i++) {
		const __u64 *seen = (const __u64 *)&peers->seen[i];
		bool same = true;

		for (int w = 0; w < CN_DGRAM_WORDS; w++) {
			if (seen[w] != now[w]) {
				same = false;
				break;
			}
		}
		if (same)
			return true;
	}
	return false;
}

/* Remembers @peers->now in place of the oldest peer. */
static __always_inline void dgram_peer_note(struct dgram_peers *peers)
{
	__u32 at = peers->next % CN_DGRAM_PEERS;

	peers->seen[at] = peers->now;
	peers->next = at + 1;
}

#endif
