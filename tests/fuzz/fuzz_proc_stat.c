// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: a /proc/PID/stat line read for a task's parent and start time. */
#include "model/proc_stat.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t start = UINT64_MAX, again_start = 0;
	pid_t ppid = -1, again_ppid = -2;
	int r = model_proc_stat_parse((const char *)data, size, &ppid, &start);

	/* Success or the one error; a parent in range; and the same answer twice. */
	if (r != 0 && r != -EPROTO)
		abort();
	if (r == 0 && ppid < 0)
		abort();
	if (model_proc_stat_parse((const char *)data, size, &again_ppid, &again_start) != r)
		abort();
	if (r == 0 && (again_ppid != ppid || again_start != start))
		abort();
	return 0;
}
