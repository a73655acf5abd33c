/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the untrusted mark bpf/model_untrusted.bpf.c copies to a child at fork. */
#ifndef CANISTER_MODEL_UNTRUSTED_ABI_H
#define CANISTER_MODEL_UNTRUSTED_ABI_H

/*
 * Shared by the BPF object (vmlinux.h's types) and canisterd (linux/types.h);
 * only this build's layout (both sides are built together).  Keyed by tgid.
 */
#define CANISTER_MODEL_MARKS_MAX 16384

struct canister_model_mark {
	__u64 contid; /* the container whose model found the process (or its ancestor) outside it */
	__u32 from;   /* 0: marked by canisterd; else the parent tgid the kernel copied it from */
	__u32 pad;
};

#endif
