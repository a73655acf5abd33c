/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: MMAP_CHECK in lsm mode: the BPF LSM reports of executable mappings, measured. */
#ifndef CANISTERD_INTEGRITY_MMAP_WATCH_H
#define CANISTERD_INTEGRITY_MMAP_WATCH_H

#include "core/canisterd.h"
#include "integrity/ima_policy.h"

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

/*
 * mmap_watch_policy() - @contid's own IMA policy is now @policy (NULL: it
 * has none, the default applies); mmap_watch_default_policy(): the default
 * policy is @policy.  The hook reports a container's mappings only while
 * some level of its chain has a policy that can measure or audit one.
 * measure.c calls them under its lock wherever a policy changes, so the
 * kernel's view never lags the judge's.  Nothing while the program is not
 * loaded.
 */
void mmap_watch_policy(uint64_t contid, const struct canister_ima_policy *policy);
void mmap_watch_default_policy(const struct canister_ima_policy *policy);

struct mmap_watch_stats {
	bool on;	   /* the program is attached and read */
	uint64_t events;   /* mappings reported */
	uint64_t lost;	   /* not reported: the ring buffer was full */
	uint64_t unlisted; /* not reported: no policy of the mapper's chain lists mappings */
	char detail[256];  /* where digests come from, or why MMAP_CHECK is unavailable */
};
void mmap_watch_stats(struct mmap_watch_stats *ret);

#endif
