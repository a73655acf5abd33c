// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: appending audit records to a log file, each whole or not at all. */
#include "lib/audit_log.h"

#include "lib/audit_record.h"
#include "lib/mkdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

struct canister_audit_log {
	int fd;
	enum canister_audit_flush flush;
	/* The file ends mid-line: the next record must start with a newline. */
	bool broken_line;
};

/* Whether the file's last byte is something other than a newline. */
static int ends_mid_line(int fd, off_t size, bool *ret_broken)
{
	char last;
	ssize_t n;

	if (size == 0) {
		*ret_broken = false;
		return 0;
	}
	n = pread(fd, &last, 1, size - 1);
	if (n < 0)
		return -errno;
	*ret_broken = n == 1 && last != '\n';
	return 0;
}

int canister_audit_log_open(const char *path, struct canister_audit_log **ret_log)
{
	struct canister_audit_log *log;
	struct stat st;
	bool broken = false;
	int fd, r;

	r = canister_mkdir_parent(path, 0750);
	if (r < 0)
		return r;
	/*
	 * Read access only serves to look at the last byte.  O_NONBLOCK keeps a
	 * FIFO planted at @path from hanging the open; it is refused just after.
	 */
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto fail;
	}
	r = ends_mid_line(fd, st.st_size, &broken);
	if (r < 0)
		goto fail;
	log = calloc(1, sizeof(*log));
	if (!log) {
		r = -ENOMEM;
		goto fail;
	}
	log->fd = fd;
	log->flush = CANISTER_AUDIT_FLUSH_NONE;
	log->broken_line = broken;
	*ret_log = log;
	return 0;

fail:
	close(fd);
	return r;
}

void canister_audit_log_set_flush(struct canister_audit_log *log, enum canister_audit_flush flush)
{
	log->flush = flush;
}

static bool one_line(const char *record, size_t len)
{
	return len > 0 && record[len - 1] == '\n' && !memchr(record, '\n', len - 1);
}

/* The parts of one line go out in one writev(2), as one line; a short write is continued. */
static int write_parts(struct canister_audit_log *log, struct iovec *parts, int count)
{
	size_t total = 0, done = 0;
	char last = 0;
	int err = 0;

	for (int i = 0; i < count; i++) {
		total += parts[i].iov_len;
		if (parts[i].iov_len)
			last = ((const char *)parts[i].iov_base)[parts[i].iov_len - 1];
	}
	while (done < total) {
		ssize_t n = writev(log->fd, parts, count);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0) {
			err = -EIO;
			break;
		}
		done += (size_t)n;
		/* Skip what went out; the rest is retried. */
		for (size_t skip = (size_t)n; skip && count;) {
			if (skip >= parts[0].iov_len) {
				skip -= parts[0].iov_len;
				parts++;
				count--;
			} else {
				parts[0].iov_base = (char *)parts[0].iov_base + skip;
				parts[0].iov_len -= skip;
				skip = 0;
			}
		}
	}
	if (done > 0)
		log->broken_line = done < total || last != '\n';
	if (err)
		return err;
	if (log->flush == CANISTER_AUDIT_FLUSH_DATA && fdatasync(log->fd) < 0)
		return -errno;
	return 0;
}

int canister_audit_log_write(struct canister_audit_log *log, const char *record, size_t len)
{
	struct iovec parts[2] = {
		{ .iov_base = "\n", .iov_len = log->broken_line ? 1 : 0 },
		{ .iov_base = (void *)record, .iov_len = len },
	};

	if (len > CANISTER_AUDIT_LINE_MAX || !one_line(record, len))
		return -EINVAL;
	return write_parts(log, parts, 2);
}

int canister_audit_log_write_text(struct canister_audit_log *log, const char *text, size_t len)
{
	struct iovec parts[3] = {
		{ .iov_base = "\n", .iov_len = log->broken_line ? 1 : 0 },
		{ .iov_base = (void *)text, .iov_len = len },
		{ .iov_base = "\n", .iov_len = 1 },
	};

	if (len == 0 || len >= CANISTER_AUDIT_LINE_MAX || memchr(text, '\n', len))
		return -EINVAL;
	return write_parts(log, parts, 3);
}

void canister_audit_log_close(struct canister_audit_log *log)
{
	if (!log)
		return;
	close(log->fd);
	free(log);
}
