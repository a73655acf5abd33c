/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: a kernel string compared with a short literal, for the hooks
 * that judge a file by its name (identity's guard, access's isolation).
 */
#ifndef CANISTER_NAME_IS_BPF_H
#define CANISTER_NAME_IS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#define NAME_BYTES 24

/*
 * Whether @kernel_name is @want (@want_len bytes, its NUL aside); false when
 * it is longer.  The length is checked first and the loop stops at the
 * literal's last byte: neither the copy nor the literal is read past its end
 * whatever the verifier knows of the literal's bytes.
 */
static __always_inline bool name_is(const char *kernel_name, const char *want, int want_len)
{
	char buf[NAME_BYTES] = {};

	if (!kernel_name ||
	    bpf_probe_read_kernel_str(buf, sizeof(buf), kernel_name) != want_len + 1)
		return false;
	for (int i = 0; i < want_len && i < NAME_BYTES; i++)
		if (buf[i] != want[i])
			return false;
	return true;
}
#define NAME_IS(kernel_name, lit) name_is(kernel_name, lit, sizeof(lit) - 1)

#endif
