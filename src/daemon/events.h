/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: drains the BPF ring buffer (fork, exit, guard refusals). */
#ifndef CANISTERD_EVENTS_H
#define CANISTERD_EVENTS_H

#include "daemon/canisterd.h"

/* events_open() - a ring-buffer reader on the pinned events map. Returns 0 or -errno. */
int events_open(struct canisterd *d);

/* events_fd() - becomes readable when records wait. */
int events_fd(struct canisterd *d);

/* events_drain() - handle every waiting record. */
void events_drain(struct canisterd *d);

void events_close(struct canisterd *d);

#endif
