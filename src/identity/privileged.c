// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which labelled processes could change labels, summarised (pure, no I/O). */
#include "identity/privileged.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void privileged_scan_add(struct canister_privileged_scan *scan, pid_t pid, uint64_t contid,
			 bool privileged, const char *why)
{
	unsigned int at;

	scan->scanned++;
	if (!privileged)
		return;
	scan->privileged++;
	/* Insertion into a short sorted array: the walk comes in hash order. */
	for (at = scan->shown_count; at > 0 && scan->shown[at - 1].pid > pid; at--)
		;
	if (at == CANISTER_STATUS_PRIVILEGED_SHOWN)
		return;
	if (scan->shown_count < CANISTER_STATUS_PRIVILEGED_SHOWN)
		scan->shown_count++;
	memmove(&scan->shown[at + 1], &scan->shown[at],
		(scan->shown_count - 1 - at) * sizeof(scan->shown[0]));
	scan->shown[at] = (struct canister_privileged_process){ .pid = pid, .contid = contid };
	snprintf(scan->shown[at].why, sizeof(scan->shown[at].why), "%s", why ? why : "");
}

/* Room kept for " and 18446744073709551615 more". */
#define TAIL_MAX 32

void privileged_warning(const struct canister_privileged_scan *scan, bool lsm, char *buf,
			size_t len)
{
	unsigned int listed = 0;
	size_t used;

	if (!len)
		return;
	buf[0] = '\0';
	if (!scan->privileged || !scan->shown_count)
		return;
	if (scan->privileged == 1) {
		snprintf(buf, len,
			 "pid %d in container %" PRIu64 " could tamper with labels (%s)%s",
			 (int)scan->shown[0].pid, scan->shown[0].contid, scan->shown[0].why,
			 lsm ? "; the lsm guard refuses it new fds to canister's objects" : "");
		return;
	}
	used = (size_t)snprintf(
		buf, len,
		"%" PRIu64 " labelled processes could tamper with labels%s: ", scan->privileged,
		lsm ? " (the lsm guard refuses them new fds to canister's objects)" : "");
	/* Whole entries only, and always the count of those left out. */
	for (; listed < scan->shown_count && used < len; listed++) {
		char entry[128 + CANISTER_STATUS_WHY_MAX];
		int n = snprintf(entry, sizeof(entry), "%spid %d in container %" PRIu64 " (%s)",
				 listed ? ", " : "", (int)scan->shown[listed].pid,
				 scan->shown[listed].contid, scan->shown[listed].why);

		if (n < 0 || used + (size_t)n + TAIL_MAX >= len)
			break;
		memcpy(buf + used, entry, (size_t)n + 1);
		used += (size_t)n;
	}
	if (used < len && scan->privileged > listed)
		snprintf(buf + used, len - used, " and %" PRIu64 " more",
			 scan->privileged - listed);
}
