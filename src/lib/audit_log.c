// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: appending audit records to a log file, each whole or not at all, rotated by size. */
#include "lib/audit_log.h"

#include "lib/config.h"

#include "lib/audit_record.h"
#include "lib/mkdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * INCREMENTAL_ASYNC: the syncs are made by a thread of the log's own, as
 * auditd's flush thread makes them, so that the thread that writes records
 * never waits on the disk.  It is started at the first sync asked of it.
 */
struct flusher {
	pthread_t thread;
	bool started;
	pthread_mutex_t lock; /* what follows; never held during a sync */
	pthread_cond_t wake;
	/* Descriptors to sync then close, oldest first: dups of the live file, or rotated ones. */
	int *fds;
	size_t count, cap;
	/* A dup of the live file waits in @fds: its sync will cover every record up to it. */
	bool live_queued;
	bool stop;
};

struct canister_audit_log {
	int fd;
	/*
	 * The directory that holds the log, opened once: renames and the fresh
	 * file of a rotation stay in it whatever happens to the current
	 * directory, or to a symlink on the way to it, after the open.
	 */
	int dir_fd;
	char *name; /* the log's name in dir_fd */
	struct canister_audit_log_policy policy;
	uint64_t size;	       /* of the file behind fd, as far as this log wrote it */
	unsigned int unsynced; /* records written since the last sync */
	/* The file ends mid-line: the next record must start with a newline. */
	bool broken_line;
	/* LOG was renamed to LOG.1 but no fresh LOG could be opened: fd is LOG.1's. */
	bool reopen_pending;
	/* canister_audit_log_rotate() was asked for and has not succeeded yet. */
	bool rotation_asked;
	struct flusher flusher;
	/* Written by the writer, read by canister_audit_log_stats() from any thread. */
	struct canister_audit_log_stats stats;
};

static int (*data_sync)(int fd) = fdatasync;

void canister_audit_log_set_sync(int (*sync)(int fd))
{
	__atomic_store_n(&data_sync, sync ? sync : fdatasync, __ATOMIC_RELEASE);
}

static int sync_data(int fd)
{
	return __atomic_load_n(&data_sync, __ATOMIC_ACQUIRE)(fd);
}

static void count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static void note_error(struct canister_audit_log *log, int err)
{
	__atomic_store_n(&log->stats.last_errno, -err, __ATOMIC_RELAXED);
}

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

/* Opens @name in @dir_fd for appending, with the checks every log file gets. */
static int open_file(int dir_fd, const char *name, int *ret_fd, uint64_t *ret_size,
		     bool *ret_broken)
{
	struct stat st;
	bool broken = false;
	int fd, r;

	/*
	 * Read access only serves to look at the last byte.  O_NONBLOCK keeps a
	 * FIFO planted at @name from hanging the open; it is refused just after.
	 */
	fd = openat(dir_fd, name, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		    0600);
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
	*ret_fd = fd;
	*ret_size = (uint64_t)st.st_size;
	*ret_broken = broken;
	return 0;

fail:
	close(fd);
	return r;
}

/* Opens the directory part of @path; sets *ret_name to where the last component starts. */
static int open_parent(const char *path, int *ret_dir_fd, const char **ret_name)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash) {
		fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		*ret_dir_fd = fd;
		*ret_name = path;
		return 0;
	}
	/* "/x" lives in "/", not in "". */
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -errno;
	*ret_dir_fd = fd;
	*ret_name = slash + 1;
	return 0;
}

int canister_audit_log_open(const char *path, struct canister_audit_log **ret_log)
{
	struct canister_audit_log *log;
	const char *name = NULL;
	uint64_t size;
	bool broken;
	int dir_fd = -1, fd, r;

	if (path[0] == '\0')
		return -ENOENT;
	r = canister_mkdir_parent(path, 0750);
	if (r < 0)
		return r;
	r = open_parent(path, &dir_fd, &name);
	if (r < 0)
		return r;
	/* "dir/" names a directory, as open(2) would say. */
	if (name[0] == '\0') {
		r = -EISDIR;
		goto fail_dir;
	}
	r = open_file(dir_fd, name, &fd, &size, &broken);
	if (r < 0)
		goto fail_dir;
	log = calloc(1, sizeof(*log));
	if (!log) {
		r = -ENOMEM;
		goto fail_file;
	}
	log->name = strdup(name);
	if (!log->name) {
		free(log);
		r = -ENOMEM;
		goto fail_file;
	}
	log->fd = fd;
	log->dir_fd = dir_fd;
	pthread_mutex_init(&log->flusher.lock, NULL);
	pthread_cond_init(&log->flusher.wake, NULL);
	log->size = size;
	log->broken_line = broken;
	log->policy = (struct canister_audit_log_policy){
		.max_bytes = 0,
		.num_logs = CANISTER_AUDIT_NUM_LOGS_MIN,
		.flush = CANISTER_AUDIT_FLUSH_NONE,
		.freq = 1,
	};
	*ret_log = log;
	return 0;

fail_file:
	close(fd);
fail_dir:
	close(dir_fd);
	return r;
}

void canister_audit_log_set_policy(struct canister_audit_log *log,
				   const struct canister_audit_log_policy *policy)
{
	log->policy = *policy;
	if (log->policy.num_logs < CANISTER_AUDIT_NUM_LOGS_MIN)
		log->policy.num_logs = CANISTER_AUDIT_NUM_LOGS_MIN;
	if (log->policy.num_logs > CANISTER_AUDIT_NUM_LOGS_MAX)
		log->policy.num_logs = CANISTER_AUDIT_NUM_LOGS_MAX;
	if (log->policy.freq == 0)
		log->policy.freq = 1;
}

static bool incremental(const struct canister_audit_log *log)
{
	return log->policy.flush == CANISTER_AUDIT_FLUSH_INCREMENTAL ||
	       log->policy.flush == CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC;
}

static void *flusher_main(void *arg)
{
	struct canister_audit_log *log = arg;
	struct flusher *f = &log->flusher;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		int *batch;
		size_t n;

		while (!f->count && !f->stop)
			pthread_cond_wait(&f->wake, &f->lock);
		if (!f->count)
			break;
		/* Taken whole: the writer may queue more while these are synced. */
		batch = f->fds;
		n = f->count;
		f->fds = NULL;
		f->count = f->cap = 0;
		f->live_queued = false;
		pthread_mutex_unlock(&f->lock);
		for (size_t i = 0; i < n; i++) {
			if (sync_data(batch[i]) < 0)
				note_error(log, -errno);
			close(batch[i]);
		}
		free(batch);
		pthread_mutex_lock(&f->lock);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/*
 * Hands @fd (the flusher's from now on) to the flusher to sync and close.
 * Called with f->lock held.  Returns 0, or -errno when it could not be
 * queued (the caller still owns @fd).
 */
static int flusher_queue(struct canister_audit_log *log, int fd)
{
	struct flusher *f = &log->flusher;

	if (!f->started) {
		sigset_t all, saved;
		int r;

		/*
		 * Signals are the main thread's (canisterd reads them from a
		 * signalfd); one delivered here would take its default action.
		 */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &saved);
		r = pthread_create(&f->thread, NULL, flusher_main, log);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		if (r)
			return -r;
		f->started = true;
	}
	if (f->count == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4;
		int *bigger = realloc(f->fds, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		f->fds = bigger;
		f->cap = cap;
	}
	f->fds[f->count++] = fd;
	pthread_cond_signal(&f->wake);
	return 0;
}

/*
 * INCREMENTAL_ASYNC: ask the flusher for a sync of the live file.  One that
 * is queued and not yet begun covers these records too.  Should no flusher
 * be had (no thread, no memory, no descriptor), the sync is made here
 * rather than not at all.
 */
static int sync_live_async(struct canister_audit_log *log)
{
	struct flusher *f = &log->flusher;
	int fd, r = 0;

	pthread_mutex_lock(&f->lock);
	if (f->live_queued)
		goto out;
	fd = fcntl(log->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
	} else {
		r = flusher_queue(log, fd);
		if (r < 0)
			close(fd);
		else
			f->live_queued = true;
	}
out:
	pthread_mutex_unlock(&f->lock);
	if (r < 0) {
		note_error(log, r);
		if (sync_data(log->fd) < 0)
			return -errno;
		return 0;
	}
	return 0;
}

/* The sync the policy asks for after a record written whole. */
static int flush_record(struct canister_audit_log *log, uint64_t records)
{
	int r = 0;

	switch (log->policy.flush) {
	case CANISTER_AUDIT_FLUSH_NONE:
		return 0;
	case CANISTER_AUDIT_FLUSH_INCREMENTAL:
		log->unsynced += records;
		if (log->unsynced < log->policy.freq)
			return 0;
		r = sync_data(log->fd);
		break;
	case CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC:
		log->unsynced += records;
		if (log->unsynced < log->policy.freq)
			return 0;
		log->unsynced = 0;
		/* Errors of the sync itself reach the stats (last_errno), not this record. */
		return sync_live_async(log);
	case CANISTER_AUDIT_FLUSH_DATA:
		r = sync_data(log->fd);
		break;
	case CANISTER_AUDIT_FLUSH_SYNC:
		r = fsync(log->fd);
		break;
	}
	/*
	 * Counted as synced even when the sync failed: Linux reports a writeback
	 * error once per file, so trying again at every record would not help.
	 */
	log->unsynced = 0;
	if (r < 0) {
		r = -errno;
		note_error(log, r);
	}
	return r;
}

/*
 * The live file is let go (rotated away, or the log closed): what an
 * INCREMENTAL policy still owes it is synced first, by the flusher under
 * INCREMENTAL_ASYNC, which then closes it; otherwise here.
 */
static void release_live(struct canister_audit_log *log)
{
	struct flusher *f = &log->flusher;
	bool owed = incremental(log) && log->unsynced > 0;
	bool handed = false;

	log->unsynced = 0;
	pthread_mutex_lock(&f->lock);
	/* A dup of this file still waiting: its sync, made later, covers everything written. */
	if (f->live_queued)
		owed = false;
	if (owed && log->policy.flush == CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC)
		handed = flusher_queue(log, log->fd) == 0;
	f->live_queued = false;
	pthread_mutex_unlock(&f->lock);
	if (handed)
		return;
	if (owed && sync_data(log->fd) < 0)
		note_error(log, -errno);
	close(log->fd);
}

/* Waits for the flusher to sync what it was given, then ends it. */
static void flusher_stop(struct canister_audit_log *log)
{
	struct flusher *f = &log->flusher;

	if (!f->started)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	f->started = false;
}

/* LOG.(n-2) -> LOG.(n-1), ..., LOG.1 -> LOG.2, LOG -> LOG.1. */
static int shift_files(struct canister_audit_log *log)
{
	char from[NAME_MAX + 8], to[NAME_MAX + 8];

	for (unsigned int i = log->policy.num_logs - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", log->name);
		else
			snprintf(from, sizeof(from), "%s.%u", log->name, i - 1);
		snprintf(to, sizeof(to), "%s.%u", log->name, i);
		if (renameat(log->dir_fd, from, log->dir_fd, to) == 0)
			continue;
		/*
		 * A gap in the chain is nothing to move.  A live LOG that is gone
		 * (deleted, or moved by someone else) leaves a fresh one to open.
		 */
		if (errno == ENOENT)
			continue;
		/*
		 * Stop at the first failure: LOG.i was not moved, so renaming
		 * LOG.(i-1) onto it would lose LOG.i's records.  What already moved
		 * left a gap, which the next attempt steps over.
		 */
		return -errno;
	}
	return 0;
}

static int rotate(struct canister_audit_log *log)
{
	uint64_t size;
	bool broken;
	int fd, r;

	if (!log->reopen_pending) {
		r = shift_files(log);
		if (r < 0)
			return r;
		log->reopen_pending = true;
	}
	r = open_file(log->dir_fd, log->name, &fd, &size, &broken);
	if (r < 0)
		return r;
	release_live(log);
	log->fd = fd;
	log->size = size;
	log->broken_line = broken;
	log->reopen_pending = false;
	return 0;
}

/*
 * After a record written whole: rotate when the file has reached max_bytes,
 * or when a rotation was asked for.  Returns 0 (rotated, or nothing to do),
 * or the -errno of the rotation that failed (counted, and retried after the
 * next record).
 */
static int rotate_if_due(struct canister_audit_log *log)
{
	struct stat st;
	int r;

	/*
	 * A LOG renamed away is reopened even if rotation was turned off since;
	 * a rotation asked for is made whatever the size.
	 */
	if (!log->reopen_pending && !log->rotation_asked) {
		if (log->policy.max_bytes == 0 || log->size < log->policy.max_bytes)
			return 0;
		/* The file's own size decides: someone may have truncated it (copytruncate). */
		if (fstat(log->fd, &st) == 0) {
			log->size = (uint64_t)st.st_size;
			if (log->size < log->policy.max_bytes)
				return 0;
		}
	}
	r = rotate(log);
	if (r < 0) {
		count(&log->stats.rotation_failures, 1);
		note_error(log, r);
		return r;
	}
	log->rotation_asked = false;
	count(&log->stats.rotations, 1);
	return 0;
}

int canister_audit_log_rotate(struct canister_audit_log *log)
{
	log->rotation_asked = true;
	/* Only whole lines are rotated away: the record that ends the line rotates the file. */
	if (log->broken_line)
		return -EAGAIN;
	return rotate_if_due(log);
}

static bool one_line(const char *record, size_t len)
{
	return len > 0 && record[len - 1] == '\n' && !memchr(record, '\n', len - 1);
}

/* The parts of one line go out in one writev(2), as one line; a short write is continued. */
static int write_parts(struct canister_audit_log *log, struct iovec *parts, int count_parts,
		       uint64_t records)
{
	size_t total = 0, done = 0;
	char last = 0;
	int err = 0, r;

	for (int i = 0; i < count_parts; i++) {
		total += parts[i].iov_len;
		if (parts[i].iov_len)
			last = ((const char *)parts[i].iov_base)[parts[i].iov_len - 1];
	}
	while (done < total) {
		ssize_t n = writev(log->fd, parts, count_parts);

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
		for (size_t skip = (size_t)n; skip && count_parts;) {
			if (skip >= parts[0].iov_len) {
				skip -= parts[0].iov_len;
				parts++;
				count_parts--;
			} else {
				parts[0].iov_base = (char *)parts[0].iov_base + skip;
				parts[0].iov_len -= skip;
				skip = 0;
			}
		}
	}
	if (err && done > 0) {
		struct stat st;

		/*
		 * Take the piece back (canisterd is the file's only writer, and
		 * O_APPEND put it at the end): a record is whole or not there.
		 */
		if (fstat(log->fd, &st) == 0 && (uint64_t)st.st_size >= done &&
		    ftruncate(log->fd, st.st_size - (off_t)done) == 0)
			done = 0;
	}
	log->size += done;
	count(&log->stats.bytes, done);
	if (done > 0)
		log->broken_line = done < total || last != '\n';
	if (err) {
		/* No rotation: the broken line must first be ended in this same file. */
		note_error(log, err);
		return err;
	}
	count(&log->stats.records, records);
	/* Synced before a rotation renames the file, so the sync covers the record. */
	r = flush_record(log, records);
	rotate_if_due(log);
	return r;
}

int canister_audit_log_write(struct canister_audit_log *log, const char *record, size_t len)
{
	struct iovec parts[2] = {
		{ .iov_base = "\n", .iov_len = log->broken_line ? 1 : 0 },
		{ .iov_base = (void *)record, .iov_len = len },
	};

	if (len > CANISTER_AUDIT_LINE_MAX || !one_line(record, len))
		return -EINVAL;
	return write_parts(log, parts, 2, 1);
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
	return write_parts(log, parts, 3, 1);
}

int canister_audit_log_write_lines(struct canister_audit_log *log, const char *lines, size_t len,
				   uint64_t count)
{
	struct iovec parts[2] = {
		{ .iov_base = "\n", .iov_len = log->broken_line ? 1 : 0 },
		{ .iov_base = (void *)lines, .iov_len = len },
	};

	if (len == 0 || count == 0 || lines[len - 1] != '\n')
		return -EINVAL;
	return write_parts(log, parts, 2, count);
}

void canister_audit_log_stats(const struct canister_audit_log *log,
			      struct canister_audit_log_stats *ret)
{
	ret->records = __atomic_load_n(&log->stats.records, __ATOMIC_RELAXED);
	ret->bytes = __atomic_load_n(&log->stats.bytes, __ATOMIC_RELAXED);
	ret->rotations = __atomic_load_n(&log->stats.rotations, __ATOMIC_RELAXED);
	ret->rotation_failures = __atomic_load_n(&log->stats.rotation_failures, __ATOMIC_RELAXED);
	ret->last_errno = __atomic_load_n(&log->stats.last_errno, __ATOMIC_RELAXED);
}

void canister_audit_log_close(struct canister_audit_log *log)
{
	if (!log)
		return;
	release_live(log);
	flusher_stop(log);
	free(log->flusher.fds);
	pthread_mutex_destroy(&log->flusher.lock);
	pthread_cond_destroy(&log->flusher.wake);
	close(log->dir_fd);
	free(log->name);
	free(log);
}

void canister_audit_log_policy_of(const struct canister_log_policy_config *config,
				  struct canister_audit_log_policy *ret_policy)
{
	*ret_policy = (struct canister_audit_log_policy){
		.max_bytes = (uint64_t)config->max_log_file_mib * 1024 * 1024,
		.num_logs = config->num_logs,
		.flush = config->flush,
		.freq = config->freq,
	};
}
