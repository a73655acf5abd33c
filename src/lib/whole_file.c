// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a small file written whole or not at all (a temporary file, fsync, then into place). */
#include "lib/whole_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const uint8_t *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int canister_write_whole_file(const char *path, const char *temp, const void *data, size_t len,
			      mode_t mode, bool replace, char *why, size_t why_len)
{
	int fd, r;

	unlink(temp);
	fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		r = -errno;
		snprintf(why, why_len, "%s: cannot create: %s", temp, strerror(-r));
		return r;
	}
	r = write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && (replace ? rename(temp, path) : link(temp, path)) < 0)
		r = -errno;
	unlink(temp);
	if (r < 0)
		snprintf(why, why_len, "%s: cannot write: %s", path, strerror(-r));
	return r;
}
