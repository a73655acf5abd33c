/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: an enforced domain's bind, connect and
 * accept of AF_UNIX addresses judged in the LSM hook (observe_deny.bpf.h),
 * their CELL made in place from the address (kernel_cell_unix.h): the path
 * the caller named, absolute or relative, or the abstract name.  An address
 * whose CELL no model can hold (an abstract name with a NUL inside) is
 * denied.
 */
#ifndef CANISTER_MODEL_DENY_UNIX_BPF_H
#define CANISTER_MODEL_DENY_UNIX_BPF_H

/* After the kernel's types, which the coefficient's header takes from vmlinux.h here. */
#include "observe_deny.bpf.h"
/* clang-format off */
#include "../kernel_cell_unix.h"
/* clang-format on */

/*
 * Judges the AF_UNIX address at @address (a kernel pointer: the hook's copy
 * of the caller's, or a bound socket's own; @len bytes) for the event of
 * @kind of the current task of enforced container @contid, into @v.
 */
static __always_inline void deny_unix_judge(struct canister_model_kc_scratch *s, __u64 contid,
					    __u32 kind, const void *address, int len, __u32 type,
					    __u32 protocol, struct deny_verdict *v)
{
	/* Longer than a sockaddr_un: the kernel refuses it (EINVAL) after the hook. */
	__u64 n = len < 0 ? 0 : (__u64)(__u32)len;
	__u32 cell_len = address ? cn_kc_cell_socket_unix(s, address, n, type, protocol) : 0;

	if (!cell_len) {
		/* No CELL a model holds (or none readable): not the model's. */
		v->denied = 1;
		return;
	}
	deny_judge(s, contid, kind, cell_len, v);
}

/*
 * The local address of listening AF_UNIX socket @sk (what accept's CELL
 * names, as socket_local_address() records it) judged for socket_accept.
 */
static __always_inline void deny_unix_accept(struct canister_model_kc_scratch *s, __u64 contid,
					     struct sock *sk, __u32 type, __u32 protocol,
					     struct deny_verdict *v)
{
	struct unix_address *address = sk ? BPF_CORE_READ((struct unix_sock *)sk, addr) : NULL;

	if (!address) {
		v->denied = 1;
		return;
	}
	deny_unix_judge(s, contid, CANISTER_MODEL_OBS_SOCKET_ACCEPT, &address->name[0],
			BPF_CORE_READ(address, len), type, protocol, v);
}

#endif
