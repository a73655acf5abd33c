// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: SIGUSR1 starts every log the main thread writes afresh, as auditd's SIGUSR1 does. */
#include "core/rotate.h"

#include "audit/stream.h"
#include "core/log.h"
#include "lib/audit_log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Appends "NAME (PATH)", or "NAME (PATH): WHY" for a log not rotated, to @rotated or @failed. */
static void tell(char *rotated, char *failed, size_t len, const char *name, const char *path, int r)
{
	char *buf = r < 0 ? failed : rotated;
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s (%s)%s%s", used ? ", " : "", name, path,
		 r < 0 ? ": " : "",
		 r == -EAGAIN ? "at its next record, which ends a broken line"
		 : r < 0      ? strerror(-r)
			      : "");
}

void logs_rotate(struct canisterd *d, pid_t sender)
{
	char rotated[1024] = "", failed[1024] = "";
	int r;

	/* Its own first: what follows is said in the fresh file. */
	if (!d->foreground)
		tell(rotated, failed, sizeof(rotated), "log_file", d->config.log_file,
		     log_rotate());
	r = d->audit_log ? canister_audit_log_rotate(d->audit_log) : -EBADF;
	tell(rotated, failed, sizeof(rotated), "audit_log", d->config.audit_log, r);
	if (d->config.kernel_audit)
		tell(rotated, failed, sizeof(rotated), "host_log", d->config.host_log,
		     kaudit_rotate_host_log());
	if (rotated[0])
		log_info("SIGUSR1 from pid %d: rotated %s", (int)sender, rotated);
	if (failed[0])
		log_error("SIGUSR1 from pid %d: not rotated now (tried again after each "
			  "record): %s",
			  (int)sender, failed);
}
