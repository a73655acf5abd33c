// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: /proc/PID/fdinfo text and mountinfo ids read for the host mount
 * exemption. */
#include "integrity/exempt_rule.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct exempt_fdinfo info, again;
	char line[512];
	int r = exempt_fdinfo_parse((const char *)data, size, &info);

	/* Parsed: a mount id that is one; refused: only EINVAL.  The same answer twice. */
	if (r != 0 && r != -EINVAL)
		abort();
	if (r == 0 && (!info.has_mnt_id || info.mnt_id < 0))
		abort();
	if (exempt_fdinfo_parse((const char *)data, size, &again) != r ||
	    (r == 0 && (again.mnt_id != info.mnt_id || again.is_pidfd != info.is_pidfd)))
		abort();
	/* The same bytes as a mountinfo line (NUL-terminated). */
	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = '\0';
	r = exempt_mountinfo_id(line);
	if (r < -EINVAL || (r < 0 && r != -EINVAL))
		abort();
	return 0;
}
