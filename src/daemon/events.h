/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: drains the BPF ring buffer (fork, exit, guard refusals). */
#ifndef CANISTERD_EVENTS_H
#define CANISTERD_EVENTS_H

#include "daemon/canisterd.h"

/* events_open() - a ring-buffer reader on the pinned events map, served by the main loop. */
int events_open(struct canisterd *d);

/* events_drain() - handle every waiting record. */
void events_drain(struct canisterd *d);

void events_close(struct canisterd *d);

#endif
