// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: keeps the OOM killer off canisterd. */
#include "core/oom.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int oom_protect_self(void)
{
	char value[16];
	int fd, len, r = 0;

	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(value, sizeof(value), "%d\n", CANISTERD_OOM_SCORE_ADJ);
	if (write(fd, value, (size_t)len) != len)
		r = -errno;
	close(fd);
	return r;
}
