/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the lists of containers that ended: set aside, and the oldest removed. */
#ifndef CANISTERD_INTEGRITY_ENDED_H
#define CANISTERD_INTEGRITY_ENDED_H

#include <stddef.h>

/*
 * ended_open() - after measure_open(): the lists under @dir whose container
 * is gone and which were not written for a while are set aside as ended
 * (<contid>.ended-<unix time>), then at most @keep ended lists stay
 * (integrity_ended_kept), the oldest removed first.
 */
void ended_open(const char *dir, unsigned int keep);
void ended_close(void);

/* ended_tick() - each main-loop tick: the same, once a second. */
void ended_tick(void);

#endif
