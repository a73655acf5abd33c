/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: the CELL of a bind, connect or accept of an
 * AF_UNIX address, made in the kernel for an enforced domain's LSM hook
 * (kernel_coefficient.h hashes it) exactly as observe_decode.c and
 * event_bytes.c make it from the record: family, type, protocol, then the
 * path as a string (docs/model.md, "CELL, by event"), an abstract name
 * with '@' in place of its leading NUL.
 *
 * Compiled into the BPF observers, where the address is read with the
 * kernel's copy helpers (no loop for the verifier to walk), and into the
 * unit tests, where those helpers are plain C with the same contract, to
 * check it against event_bytes.c.
 */
#ifndef CANISTER_MODEL_KERNEL_CELL_UNIX_H
#define CANISTER_MODEL_KERNEL_CELL_UNIX_H

#include "kernel_coefficient.h"

#ifdef __bpf__
#define cn_kc_unix_read(dst, size, src) bpf_probe_read_kernel(dst, size, src)
#define cn_kc_unix_read_str(dst, size, src) bpf_probe_read_kernel_str(dst, size, src)
#else
#include <string.h>

static inline long cn_kc_unix_read(void *dst, __u32 size, const void *src)
{
	memcpy(dst, src, size);
	return 0;
}

/*
 * bpf_probe_read_kernel_str()'s contract: at most @size - 1 bytes, up to the
 * first NUL, then a NUL; returns the bytes written, the NUL included.
 */
static inline long cn_kc_unix_read_str(void *dst, __u32 size, const void *src)
{
	size_t n = size ? strnlen((const char *)src, size - 1) : 0;

	if (!size)
		return 0;
	memcpy(dst, src, n);
	((char *)dst)[n] = '\0';
	return (long)n + 1;
}
#endif

/* sun_path's size; sizeof(struct sockaddr_un), the most the kernel takes. */
#define CN_KC_SUN_PATH 108
#define CN_KC_SUN_SIZE 110
/* Where the CELL's string starts: after family, type, protocol and its length. */
#define CN_KC_UNIX_PATH_AT 16

/*
 * The CELL of the AF_UNIX address at @addr (a struct sockaddr_un of which
 * @len bytes are the address) into @s->msg (zeroed): the path ends at its
 * first NUL, as the kernel reads it, or after sun_path's 108 bytes; an
 * abstract name (a leading NUL) is every byte of @len, '@' for the NUL.
 * Returns the CELL's length; 0 for an address too short to have a family,
 * one that cannot be read, and an abstract name with a NUL inside, which
 * no CELL can hold (a string is a C string: the decoder refuses it too),
 * so no model holds it.
 */
static inline __u32 cn_kc_cell_socket_unix(struct canister_model_kc_scratch *s, const void *addr,
					   __u64 len, __u32 type, __u32 protocol)
{
	const __u8 *sun_path = (const __u8 *)addr + 2;
	__u8 first = 0;
	__u64 n, path_len;
	long got;

	if (len < 2)
		return 0;
	n = len - 2;
	if (n > CN_KC_SUN_PATH)
		n = CN_KC_SUN_PATH;
	CN_KC_OPAQUE(n);
	if (n > CN_KC_SUN_PATH)
		return 0;
	if (n > 0 && cn_kc_unix_read(&first, 1, sun_path) < 0)
		return 0;
	if (n > 0 && first == 0) {
		/* The n - 1 bytes after the NUL, every one: a NUL among them stops the copy short.
		 */
		got = cn_kc_unix_read_str(&s->msg[CN_KC_UNIX_PATH_AT + 1], (__u32)n, sun_path + 1);
		if (got != (long)n)
			return 0;
		s->msg[CN_KC_UNIX_PATH_AT] = '@';
		path_len = n;
	} else {
		/* Its NUL (or the one after 108 bytes) lands where SHA-256's padding has zeros. */
		got = cn_kc_unix_read_str(&s->msg[CN_KC_UNIX_PATH_AT], (__u32)n + 1, sun_path);
		if (got < 1)
			return 0;
		path_len = (__u64)got - 1;
	}
	if (path_len > CN_KC_SUN_PATH)
		return 0;
	cn_kc_put_u32(&s->msg[0], 1 /* AF_UNIX */);
	cn_kc_put_u32(&s->msg[4], type);
	cn_kc_put_u32(&s->msg[8], protocol);
	cn_kc_put_u32(&s->msg[12], (__u32)path_len);
	return CN_KC_UNIX_PATH_AT + (__u32)path_len;
}

#endif
