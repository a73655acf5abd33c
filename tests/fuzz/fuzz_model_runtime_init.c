// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: the runtime's init phase as kept with a domain (model_dir/N/init). */
#include "model/runtime_init.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_runtime_init init, again;
	char why[256], line[MODEL_RUNTIME_INIT_TEXT_MAX + 1];
	int r = model_runtime_init_parse((const char *)data, size, &init, why, sizeof(why));
	int len;

	/* Success or the one error with a reason; a pid in range. */
	if (r != 0 && (r != -EINVAL || !why[0]))
		abort();
	if (r != 0)
		return 0;
	if (init.tgid <= 0)
		abort();
	/* What reads prints back to the same bytes, and reads again the same. */
	len = model_runtime_init_print(&init, line, sizeof(line));
	if (len < 0 || (size_t)len != size || memcmp(line, data, size) != 0)
		abort();
	if (model_runtime_init_parse(line, (size_t)len, &again, why, sizeof(why)) != 0 ||
	    again.tgid != init.tgid || again.start_time != init.start_time ||
	    again.exe_dev != init.exe_dev || again.exe_ino != init.exe_ino ||
	    again.executed != init.executed || again.over_monotonic_ns != init.over_monotonic_ns)
		abort();
	return 0;
}
