/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a thread that reads the capabilities of every labelled process, off the main loop. */
#ifndef CANISTERD_IDENTITY_CAPSCAN_H
#define CANISTERD_IDENTITY_CAPSCAN_H

#include "lib/status.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Reading /proc/PID/status of thousands of labelled processes takes long
 * enough to stall every client and the event rings if the main loop did it,
 * so a thread does, and the status shows its last result with its age.  It
 * scans at start, every CAPSCAN_PERIOD_MS, and when a status finds the last
 * result older than the pause it keeps between scans (at least
 * CAPSCAN_GAP_MIN_MS, and ten times the last scan's duration, so that it
 * takes at most about a tenth of one core however many processes there are).
 */
#define CAPSCAN_PERIOD_MS 30000
#define CAPSCAN_GAP_MIN_MS 200

/*
 * Each scan also judges every labelled process's real ability to change
 * labels (tamper.c): a process found able is recorded once (op=tamper), and
 * again when its reasons change, through capscan_take_findings(); at most
 * CAPSCAN_PENDING_MAX wait for the main loop, the rest are counted.
 */
#define CAPSCAN_PENDING_MAX 256
struct capscan_finding {
	pid_t pid;
	uint64_t contid;
	uint32_t reasons; /* enum tamper_reason */
	char why[CANISTER_STATUS_WHY_MAX + 1];
};

/*
 * capscan_open() - start the scanner, after labels_open(); it walks the
 * labels map through labels_for_each() and never reads struct canisterd;
 * @pin_path is where canister's pins are, to see who can reach them.
 * Returns 0, or -errno with the reason in @why.
 */
int capscan_open(const char *pin_path, char *why, size_t why_len);

/* capscan_request() - a labelled process executed: scan soon (after the pause). */
void capscan_request(void);

/*
 * capscan_take_findings() - up to @max processes newly found able to change
 * labels, oldest first, and how many were left out since the last call
 * (@ret_dropped).  Returns how many it copied to @ret.
 */
unsigned int capscan_take_findings(struct capscan_finding *ret, unsigned int max,
				   uint64_t *ret_dropped);

/*
 * capscan_close() - stop the scanner, before labels_close() (a scan in
 * progress stops at its next process).  Waits at most CAPSCAN_STOP_WAIT_S;
 * a thread that has not stopped by then is left behind for the exit.
 */
#define CAPSCAN_STOP_WAIT_S 3
void capscan_close(void);

/*
 * capscan_result() - the last finished scan (->done false before the first),
 * its age; asks for a new one when it is due.  Never waits for a scan.
 * *ret_error is 0, or the -errno of the last scan that failed to walk the map.
 */
void capscan_result(struct canister_privileged_scan *ret, int *ret_error);

#endif
