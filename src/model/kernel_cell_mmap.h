/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: the CELL of an anonymous mmap with PROT_EXEC,
 * made in the kernel for an enforced domain's LSM hook (kernel_coefficient.h
 * hashes it) exactly as event_bytes.c makes it from the record:
 * u32le 1 (anonymous), u32le reqprot, u32le prot, u32le flags (docs/model.md, "CELL, by
 * event").  A file-backed mapping's CELL holds the file CELL (its content
 * digest and path), which the hook cannot make: not judged in the kernel
 * (docs/model.md, "mmap with PROT_EXEC in the kernel").
 *
 * Compiled into the BPF observers and into the unit tests, which check it
 * against event_bytes.c.
 */
#ifndef CANISTER_MODEL_KERNEL_CELL_MMAP_H
#define CANISTER_MODEL_KERNEL_CELL_MMAP_H

#include "kernel_coefficient.h"

/*
 * The CELL of an anonymous mapping asked as @reqprot, applied as @prot (with
 * READ_IMPLIES_EXEC's PROT_EXEC) and with @flags (mmap's flags, as the hook
 * has them) into @s->msg (zeroed), as the record carries them (32 bits).
 * Returns its length.
 */
static inline __u32 cn_kc_cell_mmap_anonymous(struct canister_model_kc_scratch *s, __u32 reqprot,
					      __u32 prot, __u32 flags)
{
	cn_kc_put_u32(&s->msg[0], 1);
	cn_kc_put_u32(&s->msg[4], reqprot);
	cn_kc_put_u32(&s->msg[8], prot);
	cn_kc_put_u32(&s->msg[12], flags);
	return 16;
}

#endif
