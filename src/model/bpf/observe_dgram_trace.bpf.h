/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, trace mode: a datagram sent to an address
 * recorded as the socket_connect it amounts to (observe_dgram.bpf.h), from
 * the sendto(), sendmsg() and sendmmsg() tracepoints, the address read
 * from the caller's memory at entry as connect()'s is.  Included by
 * observe_trace.bpf.c after fd_socket().  io_uring's sends pass no
 * tracepoint: lsm mode alone sees them.
 */
#ifndef CANISTER_MODEL_OBSERVE_DGRAM_TRACE_BPF_H
#define CANISTER_MODEL_OBSERVE_DGRAM_TRACE_BPF_H

#include "observe_dgram.bpf.h"

/* sendmmsg(2) sends at most UIO_MAXIOV messages a call. */
#define CN_UIO_MAXIOV 1024

/*
 * One send of @len bytes of address at @address (the caller's memory) on
 * @sock: recorded unless this thread sent to that peer already.  The
 * record carries the bytes the cache compared (read once: a peer the
 * caller changes under the call is recorded as the cache remembers it).
 */
static __noinline int dgram_sent(struct socket *sock, const void *address, int len)
{
	struct canister_model_obs_wanted *wanted;
	struct canister_model_obs_socket *record;
	struct dgram_peers *peers;
	__u64 contid = 0;

	if (!sock || !address || len <= 0 || !dgram_socket(sock) || !current_wanted(&contid))
		return 0;
	peers = dgram_peer_now(sock, address, len, true, contid, 0);
	if (peers && dgram_peer_seen(peers))
		return 0;
	record = reserve(CANISTER_MODEL_OBS_SOCKET_CONNECT, struct canister_model_obs_socket,
			 &wanted);
	if (!record)
		return 0;
	__builtin_memset(&record->family, 0, sizeof(*record) - sizeof(record->head));
	socket_kind(sock, record);
	if (peers) {
		record->addr_len = peers->now.len;
		__builtin_memcpy(record->addr, peers->now.addr, sizeof(record->addr));
	} else {
		/* No memory for the cache: recorded from the caller's memory, as connect() is. */
		socket_address(record, address, len, true);
	}
	record_submit(record, wanted);
	if (peers)
		dgram_peer_note(peers);
	return 0;
}

/* sendto(fd, buf, len, flags, addr, addrlen) */
SEC("tp/syscalls/sys_enter_sendto")
int socket_connect_sendto_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (!ctx->args[4])
		return 0;
	return dgram_sent(fd_socket((int)ctx->args[0]), (const void *)ctx->args[4],
			  (int)ctx->args[5]);
}

/* One user_msghdr at @hdr (the caller's memory): its name, if it has one, sent to. */
static __always_inline int dgram_msghdr(struct socket *sock, const struct user_msghdr *hdr)
{
	struct user_msghdr msg;

	if (bpf_probe_read_user(&msg, sizeof(msg), hdr) < 0 || !msg.msg_name)
		return 0;
	return dgram_sent(sock, msg.msg_name, msg.msg_namelen);
}

/* sendmsg(fd, msg, flags) */
SEC("tp/syscalls/sys_enter_sendmsg")
int socket_connect_sendmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct socket *sock = fd_socket((int)ctx->args[0]);

	if (!sock)
		return 0;
	return dgram_msghdr(sock, (const struct user_msghdr *)ctx->args[1]);
}

struct dgram_vector {
	struct socket *sock;
	const struct mmsghdr *vec;
};

static int dgram_vector_one(__u32 i, void *data)
{
	struct dgram_vector *v = data;

	dgram_msghdr(v->sock, &v->vec[i].msg_hdr);
	return 0;
}

/* sendmmsg(fd, vec, vlen, flags): each message (the kernel sends at most UIO_MAXIOV). */
SEC("tp/syscalls/sys_enter_sendmmsg")
int socket_connect_sendmmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct dgram_vector v = {
		.sock = fd_socket((int)ctx->args[0]),
		.vec = (const struct mmsghdr *)ctx->args[1],
	};
	__u32 vlen = (__u32)ctx->args[2];

	if (!v.sock || !v.vec)
		return 0;
	bpf_loop(vlen > CN_UIO_MAXIOV ? CN_UIO_MAXIOV : vlen, dgram_vector_one, &v, 0);
	return 0;
}

#endif
