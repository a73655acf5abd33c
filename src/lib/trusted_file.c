// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reads a file that controls canisterd (config, audit rules) only if nobody else could
 * write it. */
#include "lib/trusted_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int canister_read_trusted_file(const char *path, size_t max, char **ret_text, size_t *ret_len,
			       char *err, size_t err_len)
{
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	int fd, r;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		if (r != -ENOENT)
			snprintf(err, err_len, "%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		snprintf(err, err_len, "%s: cannot stat: %s", path, strerror(-r));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		snprintf(err, err_len, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		r = -EPERM;
		snprintf(err, err_len,
			 "%s: refused: must be owned by uid %u and not writable by group or others "
			 "(owner %u, mode %04o)",
			 path, (unsigned)geteuid(), (unsigned)st.st_uid,
			 (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if ((size_t)st.st_size > max) {
		r = -EFBIG;
		snprintf(err, err_len, "%s: larger than %zu bytes", path, max);
		goto out;
	}
	text = malloc(max + 1);
	if (!text) {
		r = -ENOMEM;
		snprintf(err, err_len, "%s: out of memory", path);
		goto out;
	}
	/* The size may change under us; read until EOF and enforce the limit on what was read. */
	for (;;) {
		ssize_t got = read(fd, text + len, max + 1 - len);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			snprintf(err, err_len, "%s: cannot read: %s", path, strerror(-r));
			goto out;
		}
		if (got == 0)
			break;
		len += got;
		if (len > max) {
			r = -EFBIG;
			snprintf(err, err_len, "%s: larger than %zu bytes", path, max);
			goto out;
		}
	}
	text[len] = '\0';
	*ret_text = text;
	*ret_len = len;
	text = NULL;
	r = 0;
out:
	free(text);
	close(fd);
	return r;
}

int canister_read_trusted_named_file(const char *path, const char *what, size_t max,
				     char **ret_text, size_t *ret_len, char *err, size_t err_len)
{
	int r = canister_read_trusted_file(path, max, ret_text, ret_len, err, err_len);

	/*
	 * A symlink is refused rather than followed: whoever can change where it
	 * points chooses the file, whatever the file's own owner and mode say.
	 */
	if (r == -ELOOP) {
		snprintf(err, err_len, "%s: refused: a symlink (name the %s itself)", path, what);
		return -EINVAL;
	}
	if (r == -ENOENT)
		snprintf(err, err_len, "%s: no such file", path);
	return r;
}
