/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which container each process an audit event names was in when the event happened. */
#ifndef CANISTERD_AUDIT_ATTRIBUTE_H
#define CANISTERD_AUDIT_ATTRIBUTE_H

#include "audit/event.h"
#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* attribute_open() - the history of exited processes.  Returns 0 or -errno. */
int attribute_open(struct canisterd *d);
void attribute_close(void);

/* Process lives from identity: an exited process's late records still find its container. */
void attribute_process_started(pid_t pid, uint64_t ktime_ns);
void attribute_process_exited(pid_t pid, uint64_t contid, uint64_t ktime_ns);

/*
 * attribute_event() - place the process of each of @event's records that
 * names one (@places[i] for record i; @places holds event->count entries),
 * and set event->placed/depth/chain for the acting process: the SYSCALL
 * record's, else the first that is not a kill or ptrace target.
 *
 * Exited processes are found in the history until HISTORY_RETENTION after
 * their exit, so an old event of a reused pid is not given the new process's
 * container; live ones by their label.  Callers read identity's reports first
 * (identity_catch_up()) so that exits before the event are known.
 */
void attribute_event(struct canisterd *d, struct audit_event *event, struct audit_place *places);

#endif
