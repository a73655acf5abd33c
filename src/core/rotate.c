// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: SIGUSR1 starts every log the main thread writes afresh, as auditd's SIGUSR1 does. */
#include "core/rotate.h"

#include "core/capability.h"
#include "core/records.h"
#include "core/log.h"
#include "lib/audit_log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Appends "NAME (PATH)", or "NAME (PATH): WHY" for a log not rotated, to rotated or failed. */
void rotation_report_add(struct rotation_report *report, const char *name, const char *path, int r)
{
	char *buf = r < 0 ? report->failed : report->rotated;
	size_t len = sizeof(report->rotated), used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s (%s)%s%s", used ? ", " : "", name, path,
		 r < 0 ? ": " : "",
		 r == -EAGAIN ? "at its next record, which ends a broken line"
		 : r < 0      ? strerror(-r)
			      : "");
}

void logs_rotate(struct canisterd *d, pid_t sender)
{
	struct rotation_report report = { "", "" };

	/* Its own first: what follows is said in the fresh file. */
	if (!d->foreground)
		rotation_report_add(&report, "log_file", d->config.log_file, log_rotate());
	rotation_report_add(&report, "audit_log", d->config.audit_log, records_rotate());
	capabilities_rotate_logs(d, &report);
	if (report.rotated[0])
		log_info("SIGUSR1 from pid %d: rotated %s", (int)sender, report.rotated);
	if (report.failed[0])
		log_error("SIGUSR1 from pid %d: not rotated now (tried again after each "
			  "record): %s",
			  (int)sender, report.failed);
}
