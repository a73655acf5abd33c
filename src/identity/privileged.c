// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which labelled processes could tamper with labels, summarised (pure, no I/O). */
#include "identity/privileged.h"

#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

bool privileged_caps(uint64_t cap_effective)
{
	return cap_effective & ((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_BPF));
}

void privileged_scan_add(struct canister_privileged_scan *scan, pid_t pid, uint64_t contid,
			 bool privileged)
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
}

void privileged_warning(const struct canister_privileged_scan *scan, bool lsm, char *buf,
			size_t len)
{
	size_t used;

	if (!len)
		return;
	buf[0] = '\0';
	if (!scan->privileged || !scan->shown_count)
		return;
	if (scan->privileged == 1) {
		snprintf(buf, len,
			 "pid %d in container %" PRIu64
			 " holds CAP_SYS_ADMIN or CAP_BPF and could tamper with labels%s",
			 (int)scan->shown[0].pid, scan->shown[0].contid,
			 lsm ? " (the lsm guard refuses it)" : "");
		return;
	}
	used = (size_t)snprintf(buf, len,
				"%" PRIu64 " labelled processes hold CAP_SYS_ADMIN or CAP_BPF and "
				"could tamper with labels%s: ",
				scan->privileged, lsm ? " (the lsm guard refuses them)" : "");
	for (unsigned int i = 0; i < scan->shown_count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%spid %d in container %" PRIu64,
					 i ? ", " : "", (int)scan->shown[i].pid,
					 scan->shown[i].contid);
	if (used < len && scan->privileged > scan->shown_count)
		snprintf(buf + used, len - used, " and %" PRIu64 " more",
			 scan->privileged - scan->shown_count);
}
