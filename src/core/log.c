// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: its own log (not the audit records): stderr in the foreground, a file otherwise. */
#include "core/log.h"

#include "lib/audit_log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	enum canister_log_level level;
	int startup_fd;
	char destination[CANISTER_CONFIG_PATH_MAX];
	/*
	 * The file, through the audit logs' writer: whole lines, rotation by size,
	 * and a failed rotation that keeps writing to the same file and is retried.
	 * Threads log too (sinks, plugins), and the writer is not theirs to share
	 * unguarded; the lock is held for one line's write or one rotation, and
	 * nothing taken under it logs.
	 */
	pthread_mutex_t file_lock;
	struct canister_audit_log *file_log;
	/* What report_rotation() has told of: rotations and failures seen, and whether one is
	 * failing. */
	uint64_t rotations_seen, failures_seen, failures_before;
	bool failing;
} logger = {
	.level = CANISTER_LOG_INFO,
	.startup_fd = -1,
	.destination = "stderr",
	.file_lock = PTHREAD_MUTEX_INITIALIZER,
};

void log_set_level(enum canister_log_level level)
{
	logger.level = level;
}

int log_to_stderr(void)
{
	pthread_mutex_lock(&logger.file_lock);
	canister_audit_log_close(logger.file_log);
	logger.file_log = NULL;
	strcpy(logger.destination, "stderr");
	pthread_mutex_unlock(&logger.file_lock);
	return 0;
}

int log_to_file(const char *path, uint64_t max_bytes, unsigned int num_logs)
{
	struct canister_audit_log_policy policy = {
		.max_bytes = max_bytes,
		.num_logs = num_logs,
		.flush = CANISTER_AUDIT_FLUSH_NONE,
		.freq = 1,
	};
	struct canister_audit_log *opened;
	int r;

	r = canister_audit_log_open(path, &opened);
	if (r < 0)
		return r;
	canister_audit_log_set_policy(opened, &policy);
	pthread_mutex_lock(&logger.file_lock);
	canister_audit_log_close(logger.file_log);
	logger.file_log = opened;
	logger.rotations_seen = logger.failures_seen = logger.failures_before = 0;
	logger.failing = false;
	snprintf(logger.destination, sizeof(logger.destination), "%s", path);
	pthread_mutex_unlock(&logger.file_lock);
	return 0;
}

void log_set_startup_fd(int fd)
{
	logger.startup_fd = fd;
}

const char *log_destination(void)
{
	return logger.destination;
}

static const char *const level_tags[] = { "error", "warning", "info", "debug" };

/* "STAMP canisterd[PID] LEVEL: " */
static int line_prefix(char *line, size_t len, enum canister_log_level level)
{
	struct timespec now;
	char stamp[32];
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	return snprintf(line, len, "%s.%03ldZ canisterd[%d] %s: ", stamp, now.tv_nsec / 1000000,
			(int)getpid(), level_tags[level]);
}

/*
 * What became of the rotations since the last line, said in the file itself
 * (in the background nobody reads stderr): a failure when it starts, and
 * the rotation that ends it.  Called with logger.file_lock held.
 */
static void report_rotation(void)
{
	struct canister_audit_log_stats stats;
	char line[512];
	int n = 0;

	canister_audit_log_stats(logger.file_log, &stats);
	if (!logger.failing && stats.rotation_failures > logger.failures_seen) {
		n = line_prefix(line, sizeof(line), CANISTER_LOG_ERROR);
		n += snprintf(line + n, sizeof(line) - n,
			      "cannot rotate %s: %s; still writing to it, retrying after each "
			      "line\n",
			      logger.destination, strerror(stats.last_errno));
		logger.failing = true;
		logger.failures_before = logger.failures_seen;
	} else if (logger.failing && stats.rotations > logger.rotations_seen) {
		n = line_prefix(line, sizeof(line), CANISTER_LOG_INFO);
		n += snprintf(line + n, sizeof(line) - n,
			      "rotated %s after %" PRIu64 " failed attempts\n", logger.destination,
			      stats.rotation_failures - logger.failures_before);
		logger.failing = false;
	}
	logger.rotations_seen = stats.rotations;
	logger.failures_seen = stats.rotation_failures;
	/* Its own rotation, if due, is counted and told at the next line. */
	if (n > 0 && (size_t)n < sizeof(line))
		canister_audit_log_write(logger.file_log, line, (size_t)n);
}

/* The file's or stderr's: one write per line keeps lines whole when several share it. */
static void write_line(const char *line, size_t len)
{
	pthread_mutex_lock(&logger.file_lock);
	if (logger.file_log) {
		/* Its errors have nowhere to go but the counters that report_rotation() reads. */
		canister_audit_log_write(logger.file_log, line, len);
		report_rotation();
	} else if (write(STDERR_FILENO, line, len) < 0) {
		/* Nowhere left to report it. */
	}
	pthread_mutex_unlock(&logger.file_lock);
}

void log_msg(enum canister_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n, m;

	if (level > logger.level)
		return;
	n = line_prefix(line, sizeof(line), level);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = (m < 0 || (size_t)(n + m) >= sizeof(line) - 1) ? (int)sizeof(line) - 2 : n + m;
	/* One message, one line: a newline inside one (a reason quoted whole) would start another.
	 */
	for (char *nl = memchr(line, '\n', n); nl; nl = memchr(nl, '\n', line + n - nl))
		*nl = ' ';
	line[n++] = '\n';
	write_line(line, (size_t)n);
	if (logger.startup_fd >= 0 && level <= CANISTER_LOG_INFO &&
	    write(logger.startup_fd, line, n) < 0) {
		/* The parent is gone; it will report the start-up as failed. */
	}
}

int log_rotate(void)
{
	int r = -ENOENT;

	pthread_mutex_lock(&logger.file_lock);
	if (logger.file_log) {
		r = canister_audit_log_rotate(logger.file_log);
		report_rotation();
	}
	pthread_mutex_unlock(&logger.file_lock);
	return r;
}
