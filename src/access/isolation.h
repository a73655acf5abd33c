/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: cross-container isolation in the kernel (lsm mode): the grants map and the reports. */
#ifndef CANISTERD_ACCESS_ISOLATION_H
#define CANISTERD_ACCESS_ISOLATION_H

#include "core/canisterd.h"
#include "lib/status.h"

extern const char *const isolation_pinned_maps[];

/*
 * isolation_open() - lsm mode: load and attach isolation.bpf.c (signals)
 * on identity's pinned maps, fill the grants map that it and identity's
 * guard (ptrace) read, and start the thread that turns denials into
 * CONTAINER_ACCESS records.  Trace mode: nothing (no BPF LSM), said in the
 * status.  Returns 0, or -errno with @why (the status says it too).
 */
int isolation_open(struct canisterd *d, char *why, size_t why_len);
void isolation_close(void);

/* isolation_sync() - the grants map holds what access_grants_all() holds, nothing else. */
void isolation_sync(void);

/*
 * isolation_status_rows() - one row per cross-container right (signal,
 * ptrace, files) saying what enforces it in this mode, appended at
 * rows[*count] while there is room.
 */
void isolation_status_rows(struct canister_access_right_status *rows, unsigned int *count,
			   unsigned int room);

#endif
