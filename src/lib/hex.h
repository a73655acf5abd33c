/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: bytes as lower-case hex on the wire, one spelling for one value. */
#ifndef CANISTER_LIB_HEX_H
#define CANISTER_LIB_HEX_H

#include <stddef.h>
#include <stdint.h>

/* canister_hex_encode() - @len bytes of @data as 2 * @len lower-case digits and a NUL in @out. */
void canister_hex_encode(const uint8_t *data, size_t len, char *out);

/*
 * canister_hex_decode() - @len digits of @hex (even, lower-case only) as
 * @len / 2 bytes in @out.  Returns 0, or -EINVAL for an odd length or any
 * other character (@out may then hold part of the bytes).
 */
int canister_hex_decode(const char *hex, size_t len, uint8_t *out);

#endif
