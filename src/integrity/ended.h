/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the lists of containers that ended: set aside, and the oldest removed. */
#ifndef CANISTERD_INTEGRITY_ENDED_H
#define CANISTERD_INTEGRITY_ENDED_H

#include <stddef.h>

/*
 * ended_open() - after measure_open(): every list under @dir whose container
 * no longer exists (it ended while no canisterd watched) is set aside as
 * ended, then at most @keep ended lists stay (integrity_ended_kept).
 */
void ended_open(const char *dir, unsigned int keep);
void ended_close(void);

/*
 * ended_tick() - each main-loop tick: once a second, a container whose list
 * canisterd holds and that identity no longer knows is set aside (after a
 * grace, below) and the oldest ended lists beyond the limit go.
 */
void ended_tick(void);

#endif
