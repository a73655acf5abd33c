/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the appraisal backstop (lsm mode): BPF LSM denies what the fanotify gate never
 * allowed. */
#ifndef CANISTERD_INTEGRITY_BACKSTOP_H
#define CANISTERD_INTEGRITY_BACKSTOP_H

#include "core/canisterd.h"
#include "integrity/gate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* The maps pinned under pin_path, for `canisterd --unload`. */
extern const char *const backstop_pinned_maps[];

/*
 * backstop_open() - in lsm mode, load bpf/backstop.bpf.c with its maps pinned
 * under pin_path (reused when an earlier run pinned them: what they hold keeps
 * denying while canisterd is gone), fill the enforce map from every
 * container's mode and policy, and read the denials on a thread of its own.
 * In trace mode nothing, and the status says why.  Returns 0, or -errno with
 * @why (integrity then runs without the backstop, and the status says so).
 */
int backstop_open(struct canisterd *d, char *why, size_t why_len);
void backstop_close(void);

/*
 * backstop_sync() - the enforce map again, from every container's own mode
 * and policy and the config's default (one entry for every container that
 * has neither, so one registered a moment ago is bound too): entries are
 * replaced in place, never emptied first (the map is all that binds a
 * container while canisterd is away).  Called at start and
 * after a mode or policy changes, before the request is answered.
 */
void backstop_sync(void);

/*
 * backstop_forget() - drop the verdicts of @contid and of every container
 * nested in it (its keys, mode or policy changed: they are judged again);
 * 0: every container's (at start, once the gate judges: the policy or keys
 * may have changed while canisterd was down).
 */
void backstop_forget(uint64_t contid);

/*
 * appraise_backstop_allow() - the gate's part (measure_judge(), before its
 * answer): when @chain appraises (log or enforce), write what @event's file
 * may be used for by @chain[0]'s processes: exec when the gate allows it
 * (@allow), an executable mapping when its MMAP_CHECK appraisal passes (in
 * log mode it always does, recorded when it fails).  No-op in trace mode and
 * for chains that appraise nothing.
 */
void appraise_backstop_allow(const struct gate_event *event, const struct stat *st,
			     const uint64_t *chain, unsigned int depth, bool allow);

/*
 * backstop_wants_opens() - whether a live container appraises MMAP_CHECK (log
 * or enforce): its libraries are judged when opened, so the gate must see
 * opens.  The main loop's tick turns them off once the last one is dropped.
 */
bool backstop_wants_opens(void);

struct backstop_stats {
	bool on;
	uint64_t denied; /* by the BPF hooks, since the maps were pinned (canisterd's restarts too)
			  */
	uint64_t logged; /* what containers in log mode were let do that enforce would deny */
	uint64_t lost;	 /* reports with no room in the ring buffer: counted, not recorded */
	uint64_t recorded; /* denials recorded by this run */
	uint64_t written;  /* verdicts written by this run */
	char detail[256];  /* the hooks, or why the backstop is unavailable */
};
void backstop_stats(struct backstop_stats *ret);

#endif
