/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: MMAP_CHECK in lsm mode: the BPF LSM reports of executable mappings, measured. */
#ifndef CANISTERD_INTEGRITY_MMAP_WATCH_H
#define CANISTERD_INTEGRITY_MMAP_WATCH_H

#include "core/canisterd.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * mmap_watch_open() - in lsm mode, load and attach bpf/mmap_exec.bpf.c (its
 * objects join the guarded map through the loader) and measure each mapping
 * it reports on a thread of its own.  In trace mode nothing: fanotify sees
 * no mapping, and MMAP_CHECK is then unavailable, never simulated.  Returns
 * 0, or -errno with @why.
 */
int mmap_watch_open(struct canisterd *d, char *why, size_t why_len);
void mmap_watch_close(void);

struct mmap_watch_stats {
	bool on;	  /* the program is attached and read */
	uint64_t events;  /* mappings reported */
	uint64_t lost;	  /* not reported: the ring buffer was full */
	char detail[256]; /* where digests come from, or why MMAP_CHECK is unavailable */
};
void mmap_watch_stats(struct mmap_watch_stats *ret);

#endif
