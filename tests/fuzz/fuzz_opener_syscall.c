// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: a /proc/TID/syscall line read for the gate's open_writers check. */
#include "integrity/opener_syscall.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int r = opener_syscall_parse((const char *)data, size);

	/* Exactly one of the kinds, or the one error; and the same answer twice. */
	if (r != -EINVAL && r != OPENER_UNKNOWN && r != OPENER_OPENS_TO_READ &&
	    r != OPENER_OPENS_TO_WRITE && r != OPENER_RUNNING)
		abort();
	if (opener_syscall_parse((const char *)data, size) != r)
		abort();
	return 0;
}
