/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: SIGUSR1 starts every log the main thread writes afresh, as auditd's SIGUSR1 does. */
#ifndef CANISTERD_ROTATE_H
#define CANISTERD_ROTATE_H

#include "core/canisterd.h"

#include <stddef.h>
#include <sys/types.h>

/* What a SIGUSR1 rotated and what it could not, for one log line each. */
struct rotation_report {
	char rotated[1024];
	char failed[1024];
};

/* rotation_report_add() - log @name (@path): rotated (@r 0), or not (-errno). */
void rotation_report_add(struct rotation_report *report, const char *name, const char *path, int r);

/*
 * logs_rotate() - rotate canisterd's own log (log_file, in the background),
 * audit_log and each capability's logs (rotate_logs: with kernel_audit,
 * host_log) now, whatever their sizes, and log what became of each.  A rotation that fails is
 * retried after each record written to that log, as one due to size is.  @sender is the pid that
 * sent the signal, for the log.  The sinks' logs, written by threads of their own, rotate by size
 * only.
 */
void logs_rotate(struct canisterd *d, pid_t sender);

#endif
