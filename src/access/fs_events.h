/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: file creations and removals a held policy would refuse, recorded after the fact. */
#ifndef CANISTERD_ACCESS_FS_EVENTS_H
#define CANISTERD_ACCESS_FS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * access_fs_events_open() - a fanotify notification group that reports
 * names made and taken (FAN_CREATE, FAN_DELETE, FAN_MOVED_FROM,
 * FAN_MOVED_TO, directories too) by directory handle and name, and its
 * reader.  Nothing is marked until access_fs_events_follow().  Returns 0,
 * or -errno with @why (a kernel before 5.9 has no FAN_REPORT_DFID_NAME:
 * -EINVAL); the status then says why nothing is recorded.
 */
int access_fs_events_open(char *why, size_t why_len);
void access_fs_events_close(void);

/*
 * access_fs_events_follow() - the group marks the gate's filesystems
 * exactly while a held policy (or the default) handles create or remove:
 * marked (waiting for the marking helpers) when one came, unmarked when the
 * last went.  Main loop.
 */
void access_fs_events_follow(void);

/* NULL when the group runs (it marks what the gate marks), else why not (for the status). */
const char *access_fs_events_off(void);

struct access_fs_events_stats {
	bool marked;	       /* the gate's filesystems are marked in the group */
	uint64_t events;       /* creates and removes read */
	uint64_t overflows;    /* FAN_Q_OVERFLOW: the kernel's queue was full, events lost */
	uint64_t unattributed; /* the process had exited before its event was read */
	uint64_t unresolved;   /* a container's event whose directory could not be opened */
	uint64_t malformed;    /* buffers the parser refused */
};
void access_fs_events_stats(struct access_fs_events_stats *ret);

#endif
