/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: appending audit records to a log file, each whole or not at all. */
#ifndef CANISTER_LIB_AUDIT_LOG_H
#define CANISTER_LIB_AUDIT_LOG_H

#include <stddef.h>

/*
 * The longest line written: the kernel's records reach about 9 KiB
 * (MAX_AUDIT_MESSAGE_LENGTH 8970 plus the type), canister's own 1 KiB.
 */
#define CANISTER_AUDIT_LINE_MAX (16 * 1024)

struct canister_audit_log;

/* How hard canister_audit_log_write() pushes a record to the disk. */
enum canister_audit_flush {
	CANISTER_AUDIT_FLUSH_NONE, /* the page cache (auditd's flush = none); the default */
	CANISTER_AUDIT_FLUSH_DATA, /* fdatasync() after every record (auditd's flush = data) */
};

/*
 * canister_audit_log_open() - open the log at @path for appending, creating
 * it 0600 and its parent directory 0750 if missing.  A symlink in the last
 * component is refused, as is anything but a regular file.
 *
 * Returns 0 and sets *ret_log, or:
 *   -ELOOP   @path is a symlink
 *   -EINVAL  @path is not a regular file (a FIFO, a device...)
 *   -ENOMEM
 *   or the -errno of mkdir(2) or open(2) (-EACCES, -EISDIR, -ENAMETOOLONG...)
 */
int canister_audit_log_open(const char *path, struct canister_audit_log **ret_log);

void canister_audit_log_set_flush(struct canister_audit_log *log, enum canister_audit_flush flush);

/*
 * canister_audit_log_write() - append one record (as formatted by
 * audit_record.h: one line ending in its only newline) with a single write(2),
 * so that concurrent writers and a crashed writer never interleave or leave
 * half a line; a short write is continued with the rest.
 *
 * If a record could be written only in part (disk full, file size limit),
 * the next successful write first ends that broken line, so that the records
 * after it still parse; the same is done for a file found ending mid-line
 * at open.
 *
 * Returns 0, or:
 *   -EINVAL  @len is 0 or above CANISTER_AUDIT_LINE_MAX, or @record is not
 *            exactly one line ending in '\n'
 *   -ENOSPC, -EFBIG, -EIO...  the -errno of write(2) or, with
 *            CANISTER_AUDIT_FLUSH_DATA, of fdatasync(2) (then the record was
 *            written but may not be on the disk)
 */
int canister_audit_log_write(struct canister_audit_log *log, const char *record, size_t len);

/*
 * canister_audit_log_write_text() - as canister_audit_log_write(), for a
 * record that comes without its newline (the kernel's, as auditd writes them).
 * -EINVAL when @text is empty, holds a newline, or is CANISTER_AUDIT_LINE_MAX
 * bytes or longer.
 */
int canister_audit_log_write_text(struct canister_audit_log *log, const char *text, size_t len);

/* canister_audit_log_close() - close @log (NULL is fine). */
void canister_audit_log_close(struct canister_audit_log *log);

#endif
