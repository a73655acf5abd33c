/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: its own log (not the audit records): stderr in the foreground, a file otherwise. */
#ifndef CANISTERD_LOG_H
#define CANISTERD_LOG_H

#include "lib/config.h"

void log_set_level(enum canister_log_level level);

#include <stdint.h>

/*
 * Log to stderr (foreground) or append to @path (background), rotated as the
 * audit logs are once it holds @max_bytes (0: never), @num_logs files kept.
 * Returns 0, or the -errno of canister_audit_log_open() (-ELOOP for a
 * symlink, -EINVAL for what is not a regular file, -EACCES...).
 */
int log_to_stderr(void);
int log_to_file(const char *path, uint64_t max_bytes, unsigned int num_logs);

/*
 * log_rotate() - rotate the file now (SIGUSR1).  Returns 0, -ENOENT when
 * logging to stderr, or the -errno of the rotation (see
 * canister_audit_log_rotate()), which the file then reports and retries.
 */
int log_rotate(void);

/* While the daemon starts in the background, its parent relays these lines to the terminal. */
void log_set_startup_fd(int fd);

/* "stderr" or the file's path, for status and the start-up banner. */
const char *log_destination(void);

void log_msg(enum canister_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(CANISTER_LOG_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(CANISTER_LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(CANISTER_LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(CANISTER_LOG_DEBUG, __VA_ARGS__)

#endif
