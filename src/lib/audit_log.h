/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: appending audit records to a log file, each whole or not at all, rotated by size. */
#ifndef CANISTER_LIB_AUDIT_LOG_H
#define CANISTER_LIB_AUDIT_LOG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The longest line written: the kernel's records reach about 9 KiB
 * (MAX_AUDIT_MESSAGE_LENGTH 8970 plus the type), canister's own 1 KiB.
 */
#define CANISTER_AUDIT_LINE_MAX (16 * 1024)

/* How many files a rotated log keeps, the live one included (auditd's num_logs range). */
#define CANISTER_AUDIT_NUM_LOGS_MIN 2
#define CANISTER_AUDIT_NUM_LOGS_MAX 99

struct canister_audit_log;

/*
 * How hard canister_audit_log_write() pushes a record to the disk; the names
 * and meanings are auditd.conf's flush values.
 */
enum canister_audit_flush {
	/* Records stay in the page cache; the kernel writes them back when it likes. */
	CANISTER_AUDIT_FLUSH_NONE,
	/* fdatasync() after every freq records. */
	CANISTER_AUDIT_FLUSH_INCREMENTAL,
	/*
	 * fdatasync() every freq records too, but made by a thread of the log's
	 * own, as auditd's flush thread makes it: the thread that writes records
	 * (canisterd's main loop, for the host log) never waits on the disk.
	 * A sync asked for while the previous one has not begun is that one.
	 */
	CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC,
	/* fdatasync() after every record: the data and the size, not the times. */
	CANISTER_AUDIT_FLUSH_DATA,
	/* fsync() after every record: data and all metadata. */
	CANISTER_AUDIT_FLUSH_SYNC,
};

struct canister_audit_log_policy {
	uint64_t max_bytes;    /* rotate once the file has reached this size; 0: never */
	unsigned int num_logs; /* files kept, the live one included (2..99) */
	enum canister_audit_flush flush;
	unsigned int freq; /* INCREMENTAL*: fdatasync() every freq records */
};

struct canister_log_policy_config;

/* canister_audit_log_policy_of() - the writer's policy for a configured one (MiB to bytes). */
void canister_audit_log_policy_of(const struct canister_log_policy_config *config,
				  struct canister_audit_log_policy *ret_policy);

/* What a log has done since it was opened. */
struct canister_audit_log_stats {
	uint64_t records;	    /* records written whole */
	uint64_t bytes;		    /* bytes written, parts of broken records included */
	uint64_t rotations;	    /* rotations completed */
	uint64_t rotation_failures; /* rotations attempted that failed (each is retried) */
	int last_errno; /* errno of the latest failed write, sync or rotation; 0: none */
};

/*
 * canister_audit_log_open() - open the log at @path for appending, creating
 * it 0600 and its parent directory 0750 if missing.  A symlink in the last
 * component is refused, as is anything but a regular file.  The log starts
 * with max_bytes 0 (no rotation) and CANISTER_AUDIT_FLUSH_NONE, until
 * canister_audit_log_set_policy() says otherwise.
 *
 * Returns 0 and sets *ret_log, or:
 *   -ELOOP   @path is a symlink
 *   -EINVAL  @path is not a regular file (a FIFO, a device...)
 *   -ENOMEM
 *   or the -errno of mkdir(2) or open(2) (-EACCES, -EISDIR, -ENAMETOOLONG...)
 */
int canister_audit_log_open(const char *path, struct canister_audit_log **ret_log);

/*
 * canister_audit_log_set_policy() - rotation and flush from now on.  A
 * num_logs outside 2..99 is taken as the nearest bound, a freq of 0 as 1.
 * A file that already holds max_bytes or more is rotated after the next
 * record written to it.
 */
void canister_audit_log_set_policy(struct canister_audit_log *log,
				   const struct canister_audit_log_policy *policy);

/*
 * canister_audit_log_write() - append one record (as formatted by
 * audit_record.h: one line ending in its only newline) with a single write(2),
 * so that concurrent writers and a crashed writer never interleave or leave
 * half a line; a short write is continued with the rest.
 *
 * If a record could be written only in part (disk full, file size limit),
 * the part is cut off the file again (ftruncate): a record is there whole or
 * not at all.  Should that fail too, the next successful write first ends the
 * broken line, so that the records after it still parse; the same is done for
 * a file found ending mid-line at open.
 *
 * Once a record written whole leaves the file at max_bytes or more, the log
 * is rotated as auditd rotates: LOG.(n-2) is renamed to LOG.(n-1) (replacing
 * the oldest), ..., LOG.1 to LOG.2, LOG to LOG.1, and a fresh LOG is opened
 * with the checks of canister_audit_log_open().  Only whole lines are ever
 * rotated away: after a broken record the file is rotated once a later record
 * has ended the line.  A rotation that fails does not fail the write: records
 * go on to the file they went to before, the failure is counted in the stats,
 * and the rotation is tried again after the next record.
 *
 * Returns 0, or:
 *   -EINVAL  @len is 0 or above CANISTER_AUDIT_LINE_MAX, or @record is not
 *            exactly one line ending in '\n'
 *   -ENOSPC, -EDQUOT, -EFBIG, -EIO...  the -errno of write(2)
 *   -EIO, -ENOSPC...  the -errno of the fdatasync(2) or fsync(2) the flush
 *            policy asked for after this record: the record was written but
 *            may not be on the disk (under INCREMENTAL_ASYNC the sync comes
 *            later, and its failure reaches the stats' last_errno only)
 */
int canister_audit_log_write(struct canister_audit_log *log, const char *record, size_t len);

/*
 * canister_audit_log_write_lines() - as canister_audit_log_write(), for
 * @count whole records at once (@len bytes, each line ending in its newline,
 * of any length), with a single writev(2): all of them are there, or none
 * (a part written is cut off again).  A batch of events costs one system call.
 * -EINVAL when @len or @count is 0 or @lines does not end in a newline.
 */
int canister_audit_log_write_lines(struct canister_audit_log *log, const char *lines, size_t len,
				   uint64_t count);

/*
 * canister_audit_log_write_text() - as canister_audit_log_write(), for a
 * record that comes without its newline (the kernel's, as auditd writes them).
 * -EINVAL when @text is empty, holds a newline, or is CANISTER_AUDIT_LINE_MAX
 * bytes or longer.
 */
int canister_audit_log_write_text(struct canister_audit_log *log, const char *text, size_t len);

/*
 * canister_audit_log_rotate() - rotate now, whatever the size (SIGUSR1, as
 * auditd's), from the thread that writes to @log.  A file that ends in a
 * broken line is rotated once a record has ended it.  A rotation that fails
 * is counted as any other and tried again after each record until it works.
 *
 * Returns 0 when rotated, or:
 *   -EAGAIN  the file ends mid-line; it is rotated after the next record
 *   the -errno of the rename(2) or open(2) that failed (-EISDIR, -EMFILE...)
 */
int canister_audit_log_rotate(struct canister_audit_log *log);

/*
 * canister_audit_log_set_sync() - the call every fdatasync() of every log
 * goes through from now on; NULL gives fdatasync(2) back.  For tests, which
 * watch where and when the syncs are made.
 */
void canister_audit_log_set_sync(int (*sync)(int fd));

/*
 * canister_audit_log_stats() - copy @log's counters to *ret.  It may be
 * called from another thread than the writer's: each counter is read whole,
 * though the set is not one snapshot.
 */
void canister_audit_log_stats(const struct canister_audit_log *log,
			      struct canister_audit_log_stats *ret);

/*
 * canister_audit_log_close() - close @log (NULL is fine).  Under an
 * INCREMENTAL policy the records written since the last sync are synced
 * first, so that a clean stop keeps the promise a crash would not; under
 * INCREMENTAL_ASYNC the close waits for the flusher to make every sync
 * it was given, this last one included.
 */
void canister_audit_log_close(struct canister_audit_log *log);

#endif
