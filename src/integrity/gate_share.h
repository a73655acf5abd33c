/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the file gate's queue, served round-robin by container with a share of the judges
 * (pure). */
#ifndef CANISTERD_GATE_SHARE_H
#define CANISTERD_GATE_SHARE_H

#include <stdbool.h>
#include <stdint.h>

/* Events the queue holds at most: the gate's GATE_PENDING_MAX. */
#define GATE_SHARE_SLOTS 1024

/*
 * Why: with one queue in arrival order, a container that opens a few files
 * its judges take seconds to hash (or that stall in a read) holds every
 * judge, and another container's event waits behind them until its deadline
 * answers it by the fail policy (with integrity_fail = closed, a denial).
 * Here each container (each owner: the gate passes the outermost container,
 * so nested ones share their parent's) holds at most @judges_max judges at
 * once, fewer than the gate has, and the owners with events waiting are
 * served in turn: another owner's event is taken by the next free judge.
 *
 * Events are slots (0..GATE_SHARE_SLOTS-1) that the caller owns; each
 * owner's events are served in the order they were pushed.
 */
struct gate_share_owner {
	uint64_t id;
	unsigned int queued, judging;
	int head, tail; /* of its queued slots, -1 when none */
};

struct gate_share {
	unsigned int judges_max; /* one owner's judges at once */
	unsigned int turn;	 /* the owner served last: the next turn starts after it */
	struct gate_share_owner owners[GATE_SHARE_SLOTS];
	int next[GATE_SHARE_SLOTS];	/* the slot queued after this one, -1 at the tail */
	int owner_of[GATE_SHARE_SLOTS]; /* index in @owners, -1 for a free slot */
	bool judging[GATE_SHARE_SLOTS]; /* popped, not done yet */
	unsigned int queued;		/* slots queued, all owners */
};

/* gate_share_init() - an empty queue whose owners hold at most @judges_max (>= 1) judges each. */
void gate_share_init(struct gate_share *share, unsigned int judges_max);

/*
 * gate_share_push() - @slot (free until now) waits behind @owner's other
 * events.  Returns 0, -EINVAL (a slot out of range) or -EBUSY (@slot is
 * held already).
 */
int gate_share_push(struct gate_share *share, int slot, uint64_t owner);

/*
 * gate_share_pop() - the slot a free judge takes: the first queued event of
 * the next owner in turn that holds fewer than judges_max judges, which is
 * then counted as judging for it.  Returns the slot, or -1 when every owner
 * with events waiting holds its share already (or none waits).
 */
int gate_share_pop(struct gate_share *share);

/*
 * gate_share_done() - the judge of @slot (popped) returned; the slot is
 * free again.  Returns 0 or -EINVAL (@slot was not being judged).
 */
int gate_share_done(struct gate_share *share, int slot);

/*
 * gate_share_remove() - @slot, queued, leaves the queue without a judge
 * (the gate takes out an event whose deadline passed while it reads the
 * opener's ids, and pushes it again); the slot is free again.  Returns 0 or
 * -EINVAL (@slot was not queued).
 */
int gate_share_remove(struct gate_share *share, int slot);

/* gate_share_waiting() - whether gate_share_pop() would return a slot now. */
bool gate_share_waiting(const struct gate_share *share);

#endif
