// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: a fanotify FAN_REPORT_DFID_NAME event buffer (create, remove). */
#include "access/fs_event_parse.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_event event;
	size_t offset = 0, before;
	char path[64];
	int r;

	/* Each event moves forward, stays within the buffer, and its name ends in it. */
	for (;;) {
		before = offset;
		r = fs_event_next(data, size, &offset, &event);
		if (r == 0 || r == -EINVAL) {
			if (offset != before)
				abort();
			break;
		}
		if (r != 1 || offset <= before || offset > size)
			abort();
		if (event.overflow)
			continue;
		if (event.handle_bytes > FS_EVENT_HANDLE_MAX ||
		    event.name < (const char *)data + before ||
		    event.name + event.name_len >= (const char *)data + offset ||
		    strlen(event.name) != event.name_len)
			abort();
		r = fs_event_path("/d", event.name, path, sizeof(path));
		if (r != -EINVAL && r != -ENAMETOOLONG && (r < 0 || strlen(path) != (size_t)r))
			abort();
	}
	return 0;
}
