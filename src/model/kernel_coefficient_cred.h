/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: the CELLs of capable, task_fix_setuid,
 * task_fix_setgid and sb_mount as lsm mode makes them in the kernel, byte
 * for byte as event_bytes.c does (docs/model.md, "CELL, by event"), for
 * kernel_coefficient.h's hash.  Compiled into the BPF observers and into
 * the unit tests, which check them against event_bytes.c.
 */
#ifndef CANISTER_MODEL_KERNEL_COEFFICIENT_CRED_H
#define CANISTER_MODEL_KERNEL_COEFFICIENT_CRED_H

#include "kernel_coefficient.h"

/*
 * A mount's scratch space: the coefficient's, and room past the message
 * into which a string read at any offset of the message may run, so that
 * the verifier can bound each read by constants (the offset and the read's
 * size are each bounded, never their sum).  What runs past the message
 * is a CELL too long to hash, never hashed.
 */
struct canister_model_kc_mount_scratch {
	struct canister_model_kc_scratch kc;
	__u8 spill[CN_KC_MSG];
};

/* The most a mount string's read takes, its NUL included; one that fills it is too long. */
#define CN_KC_MOUNT_STR_READ (CN_KC_MSG_MAX - 4 + 1)

#ifdef __bpf__
#define cn_kc_read_str(dst, size, src, user)                    \
	((user) ? bpf_probe_read_user_str((dst), (size), (src)) \
		: bpf_probe_read_kernel_str((dst), (size), (src)))
#else
/* As the BPF helpers: at most @size bytes, the NUL included; the bytes written. */
static inline long cn_kc_read_str(void *dst, __u32 size, const char *src, int user)
{
	__u32 n = 0;

	(void)user;
	while (n + 1 < size && src[n]) {
		((char *)dst)[n] = src[n];
		n++;
	}
	((char *)dst)[n] = '\0';
	return (long)n + 1;
}
#endif

/* capable's CELL into @s->msg (zeroed): the CAP_* number, the CAP_OPT_* flags. */
static inline __u32 cn_kc_cell_capable(struct canister_model_kc_scratch *s, __u32 cap, __u32 opts)
{
	cn_kc_put_u32(&s->msg[0], cap);
	cn_kc_put_u32(&s->msg[4], opts);
	return 8;
}

/* task_fix_setuid's and task_fix_setgid's CELL into @s->msg (zeroed): the new ids, LSM_SETID_*. */
static inline __u32 cn_kc_cell_setid(struct canister_model_kc_scratch *s, __u32 id, __u32 eid,
				     __u32 sid, __u32 fsid, __u32 flags)
{
	cn_kc_put_u32(&s->msg[0], id);
	cn_kc_put_u32(&s->msg[4], eid);
	cn_kc_put_u32(&s->msg[8], sid);
	cn_kc_put_u32(&s->msg[12], fsid);
	cn_kc_put_u32(&s->msg[16], flags);
	return 20;
}

/*
 * One of sb_mount's strings at @at of the message: u32le length || bytes,
 * read from @src (@user: the caller's memory; the hook passes kernel
 * memory only: the mount point as bpf_d_path named it).  An absent one (NULL), or
 * one that cannot be read, is the empty string, as the record says it is
 * absent and event_bytes.c writes it, unless @required (the mount point:
 * canisterd refuses a record without one).  Returns the offset after it,
 * or 0: it does not fit the message, or is required and absent.
 */
static inline __u32 cn_kc_put_mount_string(struct canister_model_kc_mount_scratch *m, __u32 at,
					   const char *src, int user, int required)
{
	long n = 0;

	if (at > CN_KC_MSG_MAX - 4)
		return 0;
	if (src)
		n = cn_kc_read_str(&m->kc.msg[at + 4], CN_KC_MOUNT_STR_READ, src, user);
	if (n <= 0) {
		if (required)
			return 0;
		n = 1;
	}
	if (n >= CN_KC_MOUNT_STR_READ)
		return 0;
	cn_kc_put_u32(&m->kc.msg[at], (__u32)(n - 1));
	return at + 4 + (__u32)(n - 1);
}

/*
 * sb_mount's CELL into @m's message (zeroed): string dev_name || string
 * path || string type || u64le flags.  Returns its length, or 0 when the
 * kernel cannot make it: longer than the hash takes (CN_KC_MSG_MAX bytes,
 * the three strings about 160 bytes together), or no mount point.
 */
static inline __u32 cn_kc_cell_mount(struct canister_model_kc_mount_scratch *m, const char *dev,
				     const char *path, int path_user, const char *type, __u64 flags)
{
	__u32 at = 0, i;

	at = cn_kc_put_mount_string(m, at, dev, 0, 0);
	if (at)
		at = cn_kc_put_mount_string(m, at, path, path_user, 1);
	if (at)
		at = cn_kc_put_mount_string(m, at, type, 0, 0);
	if (!at || at > CN_KC_MSG_MAX - 8)
		return 0;
	for (i = 0; i < 8; i++)
		m->kc.msg[at + i] = (__u8)(flags >> (8 * i));
	return at + 8;
}

#endif
