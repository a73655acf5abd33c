/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: the kernel's vfsmount flags the BPF programs read.  Defined
 * here, not taken from vmlinux.h: kernels before 6.9 have them as macros,
 * which their BTF (and so a vmlinux.h made from it) does not carry.
 */
#ifndef CANISTER_MOUNT_FLAGS_BPF_H
#define CANISTER_MOUNT_FLAGS_BPF_H

#define CN_MNT_NOEXEC 0x4
#define CN_MNT_INTERNAL 0x4000 /* a vfsmount the kernel made for itself, in no mount namespace */

#endif
