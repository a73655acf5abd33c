/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: drains the identity programs' ring buffer (fork, exit, joins, guard refusals). */
#ifndef CANISTERD_IDENTITY_EVENTS_H
#define CANISTERD_IDENTITY_EVENTS_H

#include "core/canisterd.h"

#include <stdint.h>

/*
 * events_open() - a ring-buffer reader on the pinned events map, served by
 * the main loop.  Forks and exits of labelled processes go to every
 * capability (capabilities_process_started/exited()).  Returns 0 or -errno.
 */
int events_open(struct canisterd *d);

/* events_drain() - handle every waiting record. */
void events_drain(struct canisterd *d);

/* events_tick() - the periodic drain, and a check of every container after ring-buffer losses. */
void events_tick(struct canisterd *d);

/* Records read since canisterd started. */
uint64_t events_received_total(void);

void events_close(struct canisterd *d);

#endif
