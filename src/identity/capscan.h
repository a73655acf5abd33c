/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a thread that reads the capabilities of every labelled process, off the main loop. */
#ifndef CANISTERD_IDENTITY_CAPSCAN_H
#define CANISTERD_IDENTITY_CAPSCAN_H

#include "lib/status.h"

#include <stddef.h>

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
 * capscan_open() - start the scanner, after labels_open(); it walks the
 * labels map through labels_for_each() and never reads struct canisterd.
 * Returns 0, or -errno with the reason in @why.
 */
int capscan_open(char *why, size_t why_len);

/*
 * capscan_close() - stop the scanner, before labels_close() (a scan in
 * progress stops at its next process).
 */
void capscan_close(void);

/*
 * capscan_result() - the last finished scan (->done false before the first),
 * its age; asks for a new one when it is due.  Never waits for a scan.
 * *ret_error is 0, or the -errno of the last scan that failed to walk the map.
 */
void capscan_result(struct canister_privileged_scan *ret, int *ret_error);

#endif
