// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: its own log (not the audit records): stderr in the foreground, a file otherwise. */
#include "core/log.h"

#include "lib/mkdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum canister_log_level current_level = CANISTER_LOG_INFO;
static int log_fd = STDERR_FILENO;
static int startup_fd = -1;
static char destination[CANISTER_CONFIG_PATH_MAX] = "stderr";

void log_set_level(enum canister_log_level level)
{
	current_level = level;
}

int log_to_stderr(void)
{
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = STDERR_FILENO;
	strcpy(destination, "stderr");
	return 0;
}

int log_to_file(const char *path)
{
	int fd, r;

	r = canister_mkdir_parent(path, 0755);
	if (r < 0)
		return r;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0640);
	if (fd < 0)
		return -errno;
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = fd;
	snprintf(destination, sizeof(destination), "%s", path);
	return 0;
}

void log_set_startup_fd(int fd)
{
	startup_fd = fd;
}

const char *log_destination(void)
{
	return destination;
}

static const char *const level_tags[] = { "error", "warning", "info", "debug" };

void log_msg(enum canister_log_level level, const char *fmt, ...)
{
	char line[2048], stamp[32];
	struct timespec now;
	struct tm tm;
	va_list ap;
	int n, m;

	if (level > current_level)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ canisterd[%d] %s: ", stamp,
		     now.tv_nsec / 1000000, (int)getpid(), level_tags[level]);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = (m < 0 || (size_t)(n + m) >= sizeof(line) - 1) ? (int)sizeof(line) - 2 : n + m;
	line[n++] = '\n';
	/* One write per line keeps lines whole when several writers share the file. */
	if (write(log_fd, line, n) < 0) {
		/* Nowhere left to report it. */
	}
	if (startup_fd >= 0 && level <= CANISTER_LOG_INFO && write(startup_fd, line, n) < 0) {
		/* The parent is gone; it will report the start-up as failed. */
	}
}
