// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which filesystems the file gate watches, found in mountinfo. */
#include "integrity/marks.h"

#include "core/log.h"
#include "identity/mountinfo.h"
#include "integrity/gate.h"
#include "integrity/mark_pick.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUPERBLOCKS_MAX 4096

unsigned int marks_host(void)
{
	static struct mountinfo_entry entry;
	unsigned int *devices = calloc(SUPERBLOCKS_MAX, sizeof(*devices));
	unsigned int count = 0, marked = 0;
	FILE *in = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	if (!in || !devices) {
		log_warning("integrity: cannot read /proc/self/mountinfo: no filesystem watched");
		free(devices);
		if (in)
			fclose(in);
		return 0;
	}
	while (getline(&line, &cap, in) > 0) {
		char why[512];
		unsigned int device;
		bool seen = false;

		if (mountinfo_parse(line, &entry) < 0 || !mark_pick_fstype(entry.fstype))
			continue;
		/* A mark covers the superblock: bind mounts of it add nothing. */
		device = entry.major << 20 | entry.minor;
		for (unsigned int i = 0; i < count && !seen; i++)
			seen = devices[i] == device;
		if (seen || count == SUPERBLOCKS_MAX)
			continue;
		devices[count++] = device;
		if (gate_mark(entry.point, why, sizeof(why)) < 0) {
			log_warning("integrity: %s (%s)", why, entry.fstype);
			continue;
		}
		marked++;
	}
	free(line);
	free(devices);
	fclose(in);
	return marked;
}
