/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: move_mount's CELL as lsm mode makes it in the
 * kernel, byte for byte as event_bytes.c does (docs/model.md, "CELL, by
 * event"): the source mount's filesystem type as a string, then whether the
 * source mount's root is its filesystem's root.  Compiled into the BPF
 * observers and into the unit tests, which check it against event_bytes.c.
 */
#ifndef CANISTER_MODEL_KERNEL_CELL_MOVE_MOUNT_H
#define CANISTER_MODEL_KERNEL_CELL_MOVE_MOUNT_H

#include "kernel_coefficient_cred.h"

/* The most of a type name's read, its NUL included (the record's CANISTER_MODEL_OBS_FSTYPE_MAX). */
#define CN_KC_FSTYPE_READ 64

/*
 * move_mount's CELL into @s->msg (zeroed): string @fstype (kernel memory:
 * the source superblock's s_type->name) || u32le @whole.  Returns its
 * length, or 0 when the kernel cannot make it (no name, or one that fills
 * CN_KC_FSTYPE_READ bytes: the record calls it too long as well).  The name
 * is read straight into the message at its offset: no loop.
 */
static inline __u32 cn_kc_cell_move_mount(struct canister_model_kc_scratch *s, const char *fstype,
					  __u32 whole)
{
	__u32 len;
	long n;

	if (!fstype)
		return 0;
	n = cn_kc_read_str(&s->msg[4], CN_KC_FSTYPE_READ, fstype, 0);
	if (n <= 0 || n >= CN_KC_FSTYPE_READ)
		return 0;
	len = (__u32)(n - 1);
	CN_KC_OPAQUE(len);
	if (len > CN_KC_FSTYPE_READ - 1)
		return 0;
	cn_kc_put_u32(&s->msg[0], len);
	cn_kc_put_u32(&s->msg[4 + len], whole);
	return 8 + len;
}

#endif
