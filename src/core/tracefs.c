// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: makes sure tracefs is mounted, which attaching syscall tracepoints needs. */
#include "core/tracefs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

int tracefs_prepare(char *detail, size_t detail_len)
{
	if (access(TRACEFS "/events", F_OK) == 0 || access(DEBUGFS_TRACING "/events", F_OK) == 0) {
		snprintf(detail, detail_len, "tracefs is mounted");
		return 0;
	}
	if (mount("tracefs", TRACEFS, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") <
	    0) {
		int r = -errno;

		snprintf(detail, detail_len,
			 "tracefs is not mounted and mounting it at %s failed: %s", TRACEFS,
			 strerror(errno));
		return r;
	}
	snprintf(detail, detail_len, "canisterd mounted tracefs at %s", TRACEFS);
	return 0;
}
