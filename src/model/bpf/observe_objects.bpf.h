/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: the objects of events (sockets, files, strings) as records carry them.
 */
#ifndef CANISTER_MODEL_OBSERVE_OBJECTS_BPF_H
#define CANISTER_MODEL_OBSERVE_OBJECTS_BPF_H

#include "exec_memory.bpf.h"
#include "observe.bpf.h"
#include <bpf/bpf_endian.h>

#define CN_AF_UNIX 1
#define CN_AF_INET 2
#define CN_AF_INET6 10
#define CN_SIN_SIZE 16
#define CN_SIN6_SIZE 28
#define CN_SUN_SIZE 110

/* A signal's number and its target (@target's group, and its container if labelled) into @record.
 */
static __always_inline void kill_target(struct canister_model_obs_kill *record,
					struct task_struct *target, int sig)
{
	struct canister_label *label;

	record->signal = sig;
	record->target_tgid = BPF_CORE_READ(target, tgid);
	label = label_of(target, record->target_tgid);
	record->target_labelled = label != NULL;
	record->target_contid = label ? label->contid : CANISTER_CONTID_UNSET;
	record->pad = 0;
	task_key_of(target, &record->target_exe_dev, &record->target_exe_ino,
		    &record->target_start_ns);
	origin_of(target, &record->target_origin);
}

/* A socket's family, type and protocol: what every socket event's CELL starts with. */
struct socket_kind_of {
	__u32 family, type, protocol;
};

static __always_inline void socket_kind_read(struct socket *sock, struct socket_kind_of *kind)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);

	kind->type = BPF_CORE_READ(sock, type);
	kind->family = sk ? BPF_CORE_READ(sk, __sk_common.skc_family) : 0;
	kind->protocol = sk ? BPF_CORE_READ(sk, sk_protocol) : 0;
}

/* @sock's family, type and protocol into @record. */
static __always_inline void socket_kind(struct socket *sock,
					struct canister_model_obs_socket *record)
{
	struct socket_kind_of kind;

	socket_kind_read(sock, &kind);
	record->family = kind.family;
	record->type = kind.type;
	record->protocol = kind.protocol;
}

/*
 * The local address of @sk, of @family, as a struct sockaddr into @addr
 * (CN_SIN6_SIZE bytes, zeroed by the caller): its length, or 2 (the family
 * alone) for a family other than AF_INET and AF_INET6.  What accept's CELL
 * names; the lsm hook judges accept from these same bytes.
 */
static __always_inline __u32 socket_inet_local(struct sock *sk, __u16 family, __u8 *addr)
{
	__u16 port;
	__be32 in;

	addr[0] = (__u8)family;
	addr[1] = (__u8)(family >> 8);
	if (!sk)
		return sizeof(__u16);
	/* The port in network order, as sin_port and sin6_port hold it. */
	port = BPF_CORE_READ(sk, __sk_common.skc_num);
	addr[2] = (__u8)(port >> 8);
	addr[3] = (__u8)port;
	if (family == CN_AF_INET) {
		in = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__builtin_memcpy(&addr[4], &in, sizeof(in));
		return CN_SIN_SIZE;
	}
	if (family == CN_AF_INET6) {
		BPF_CORE_READ_INTO((struct in6_addr *)&addr[8], sk, __sk_common.skc_v6_rcv_saddr);
		return CN_SIN6_SIZE;
	}
	return sizeof(__u16);
}

/*
 * The local address of a listening socket, as a struct sockaddr of its
 * family (the address accept's CELL names); only the family for others.
 */
static __always_inline void socket_local_address(struct socket *sock,
						 struct canister_model_obs_socket *record)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	struct unix_address *address;
	int len;

	record->addr_len = socket_inet_local(sk, (__u16)record->family, record->addr);
	if (!sk || record->family != CN_AF_UNIX)
		return;
	address = BPF_CORE_READ((struct unix_sock *)sk, addr);
	if (!address)
		return;
	len = BPF_CORE_READ(address, len);
	if (len < 0 || len > CN_SUN_SIZE)
		return;
	if (bpf_probe_read_kernel(record->addr, len & 0x7f, &address->name[0]) == 0)
		record->addr_len = len;
}

/*
 * Copies @len bytes of a caller's socket address (a user pointer in trace
 * mode, the kernel's copy in lsm mode); the record keeps at most
 * CANISTER_MODEL_OBS_ADDR_MAX and says how long the caller's was.
 */
static __always_inline void socket_address(struct canister_model_obs_socket *record,
					   const void *address, int len, bool user)
{
	__u64 n = len < 0 ? 0 : (__u64)(__u32)len;

	record->addr_len = (__u32)n;
	if (n > CANISTER_MODEL_OBS_ADDR_MAX)
		n = CANISTER_MODEL_OBS_ADDR_MAX;
	/* Kept in a register as is: clang folds the bound into 32-bit compares the verifier loses.
	 */
	asm volatile("" : "+r"(n));
	if (n > CANISTER_MODEL_OBS_ADDR_MAX || !address)
		return;
	if ((user ? bpf_probe_read_user(record->addr, n, address)
		  : bpf_probe_read_kernel(record->addr, n, address)) < 0)
		record->addr_len = 0;
}

/* A mapped file's inode and filesystem (the path and digest are userspace's to find). */
static __always_inline void file_identity(struct file *file, struct canister_model_obs_mmap *record)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);

	record->dev = BPF_CORE_READ(sb, s_dev);
	record->ino = BPF_CORE_READ(inode, i_ino);
	record->uid = BPF_CORE_READ(inode, i_uid.val);
	record->gid = BPF_CORE_READ(inode, i_gid.val);
	record->mode = BPF_CORE_READ(inode, i_mode);
	record->s_magic = BPF_CORE_READ(sb, s_magic);
	/* TSEM zeroes tmpfs's UUID (tmpfs makes up a new one at every mount). */
	if (record->s_magic != CN_TMPFS_MAGIC)
		BPF_CORE_READ_INTO(&record->s_uuid, sb, s_uuid);
}

/*
 * A string of a mount(2) call into @dst: its length, or
 * CANISTER_MODEL_OBS_STR_ABSENT / _TOOLONG (abi).
 */
static __always_inline __u32 mount_string(char *dst, __u32 size, const char *src, bool user)
{
	long n;

	if (!src)
		return CANISTER_MODEL_OBS_STR_ABSENT;
	n = user ? bpf_probe_read_user_str(dst, size, src)
		 : bpf_probe_read_kernel_str(dst, size, src);
	if (n <= 0)
		return CANISTER_MODEL_OBS_STR_ABSENT;
	if ((__u32)n >= size) {
		/* Filled: a string of exactly size - 1 bytes and one that did not fit look alike.
		 */
		return CANISTER_MODEL_OBS_STR_TOOLONG;
	}
	return (__u32)n - 1;
}

#endif
