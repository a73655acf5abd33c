/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: drains the BPF ring buffer (fork, exit, guard refusals). */
#ifndef CANISTERD_EVENTS_H
#define CANISTERD_EVENTS_H

#include "core/canisterd.h"

#include <stdint.h>
#include <sys/types.h>

/* events_open() - a ring-buffer reader on the pinned events map, served by the main loop. */
int events_open(struct canisterd *d);

/* events_drain() - handle every waiting record. */
void events_drain(struct canisterd *d);

void events_close(struct canisterd *d);

/*
 * Who else follows processes' lives (the kernel audit reader, which must
 * attribute records read after their process exited) and the drain timer.
 */
struct events_watcher {
	void (*started)(struct canisterd *d, pid_t pid, uint64_t ktime_ns);
	void (*exited)(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns);
	void (*tick)(struct canisterd *d); /* every drain period */
};

/* events_watch() - @watcher (NULL: none) from now on; it must outlive the watch. */
void events_watch(const struct events_watcher *watcher);

#endif
