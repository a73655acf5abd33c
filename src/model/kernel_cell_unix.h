/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: the CELL of a bind, connect or accept of an
 * AF_UNIX address, made in the kernel for an enforced domain's LSM hook
 * (kernel_coefficient.h hashes it) exactly as observe_decode.c and
 * event_bytes.c make it from the record: family, type, protocol, then the
 * path as a string (docs/model.md, "CELL, by event"), an abstract name
 * with '@' in place of its leading NUL.
 *
 * Compiled into the BPF observers and into the unit tests, which check it
 * against event_bytes.c.  Plain C over the scratch's fixed-size message.
 */
#ifndef CANISTER_MODEL_KERNEL_CELL_UNIX_H
#define CANISTER_MODEL_KERNEL_CELL_UNIX_H

#include "kernel_coefficient.h"

/*
 * Where the caller copies the struct sockaddr_un into @s->msg: its sun_path
 * then lands at byte 16, where the CELL's string starts (after family,
 * type, protocol and the string's length), so the path is made in place.
 */
#define CN_KC_UNIX_AT 14
#define CN_KC_UNIX_PATH_AT 16
/* sun_path's size; sizeof(struct sockaddr_un), the most the kernel takes. */
#define CN_KC_SUN_PATH 108
#define CN_KC_SUN_SIZE 110

/*
 * An AF_UNIX address's CELL into @s->msg, whose bytes from CN_KC_UNIX_AT
 * hold the caller's struct sockaddr_un (@len bytes of it, at most
 * CN_KC_SUN_SIZE; the rest of the message zeroed): the path ends at its
 * first NUL, as the kernel reads it, or after sun_path's 108 bytes; an
 * abstract name (a leading NUL) is every byte of @len.  Returns the CELL's
 * length; 0 for an address too short to have a family, and for an
 * abstract name with a NUL inside, which no CELL can hold (a string is a C
 * string: the decoder refuses it too), so no model holds it.
 */
static inline __u32 cn_kc_cell_socket_unix(struct canister_model_kc_scratch *s, __u32 len,
					   __u32 type, __u32 protocol)
{
	__u8 *path = &s->msg[CN_KC_UNIX_PATH_AT];
	__u32 n, end, i;

	if (len < 2 || len > CN_KC_SUN_SIZE)
		return 0;
	n = len - 2;
	if (n > 0 && path[0] == 0) {
		for (i = 1; i < n && i < CN_KC_SUN_PATH; i++) {
			if (path[i] == 0)
				return 0;
		}
		path[0] = '@';
		end = n;
	} else {
		for (end = 0; end < n && end < CN_KC_SUN_PATH; end++) {
			if (path[end] == 0)
				break;
		}
	}
	/*
	 * What followed the path's end is not the CELL's: SHA-256's padding
	 * needs zeros.  Volatile, or clang makes the loop a memset() BPF lacks.
	 */
	for (i = end; i < CN_KC_SUN_PATH; i++)
		((volatile __u8 *)path)[i] = 0;
	cn_kc_put_u32(&s->msg[0], 1 /* AF_UNIX */);
	cn_kc_put_u32(&s->msg[4], type);
	cn_kc_put_u32(&s->msg[8], protocol);
	cn_kc_put_u32(&s->msg[12], end);
	return CN_KC_UNIX_PATH_AT + end;
}

#endif
