/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: the CELL of an mprotect adding PROT_EXEC
 * (file_mprotect), made in the kernel for an enforced domain's LSM hook
 * (kernel_coefficient.h hashes it) exactly as event_bytes.c makes it from
 * the record: u32le anonymous, u32le reqprot, u32le prot (docs/model.md,
 * "CELL, by event").  Only an anonymous mapping's is judged
 * (deny_mprotect.bpf.h).
 *
 * Compiled into the BPF observers and into the unit tests, which check it
 * against event_bytes.c.
 */
#ifndef CANISTER_MODEL_KERNEL_CELL_MPROTECT_H
#define CANISTER_MODEL_KERNEL_CELL_MPROTECT_H

#include "kernel_coefficient.h"

/*
 * The CELL of an mprotect of a mapping (@anonymous 1: no file) to @reqprot
 * (the protection the caller asked for) applied as @prot into @s->msg
 * (zeroed).  Returns its length.
 */
static inline __u32 cn_kc_cell_mprotect(struct canister_model_kc_scratch *s, __u32 anonymous,
					__u32 reqprot, __u32 prot)
{
	cn_kc_put_u32(&s->msg[0], anonymous);
	cn_kc_put_u32(&s->msg[4], reqprot);
	cn_kc_put_u32(&s->msg[8], prot);
	return 12;
}

#endif
