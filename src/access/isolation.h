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
 * CONTAINER_ACCESS records.  Trace mode (no BPF LSM): load the recorder
 * (isolation_trace.bpf.c), attached only while a container lives
 * (isolation_containers_present()), and the same reader; the status says
 * recorded only.  Returns 0, or -errno with @why (the status says it too).
 */
int isolation_open(struct canisterd *d, char *why, size_t why_len);
void isolation_close(void);

/*
 * isolation_containers_present() - trace mode: attach the recorder when the
 * first container is created (before its label is written), detach it when
 * the last one goes.  lsm mode: nothing; its hooks stay, for they also note
 * which container, or the host, creates each file.
 */
void isolation_containers_present(bool any);

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
