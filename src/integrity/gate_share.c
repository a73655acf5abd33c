// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the file gate's queue, served round-robin by container with a share of the judges
 * (pure). */
#include "integrity/gate_share.h"

#include <errno.h>

void gate_share_init(struct gate_share *share, unsigned int judges_max)
{
	share->judges_max = judges_max ? judges_max : 1;
	/* The first turn is the first owner's. */
	share->turn = GATE_SHARE_SLOTS - 1;
	share->queued = 0;
	for (int i = 0; i < GATE_SHARE_SLOTS; i++) {
		share->owners[i] = (struct gate_share_owner){ .head = -1, .tail = -1 };
		share->next[i] = -1;
		share->owner_of[i] = -1;
		share->judging[i] = false;
	}
}

static bool owner_live(const struct gate_share_owner *owner)
{
	return owner->queued || owner->judging;
}

/* @id's entry, or a free one for it; one exists: an owner holds at least one of the slots. */
static int owner_index(struct gate_share *share, uint64_t id)
{
	int free = -1;

	for (int i = 0; i < GATE_SHARE_SLOTS; i++) {
		if (!owner_live(&share->owners[i])) {
			if (free < 0)
				free = i;
		} else if (share->owners[i].id == id) {
			return i;
		}
	}
	share->owners[free] = (struct gate_share_owner){ .id = id, .head = -1, .tail = -1 };
	return free;
}

int gate_share_push(struct gate_share *share, int slot, uint64_t id)
{
	struct gate_share_owner *owner;
	int o;

	if (slot < 0 || slot >= GATE_SHARE_SLOTS)
		return -EINVAL;
	if (share->owner_of[slot] >= 0)
		return -EBUSY;
	o = owner_index(share, id);
	owner = &share->owners[o];
	share->owner_of[slot] = o;
	share->judging[slot] = false;
	share->next[slot] = -1;
	if (owner->tail >= 0)
		share->next[owner->tail] = slot;
	else
		owner->head = slot;
	owner->tail = slot;
	owner->queued++;
	share->queued++;
	return 0;
}

static bool owner_may_take(const struct gate_share *share, const struct gate_share_owner *owner)
{
	return owner->queued && owner->judging < share->judges_max;
}

/* The owner whose turn it is, or -1; the search starts after the one served last. */
static int next_owner(const struct gate_share *share)
{
	for (unsigned int step = 1; step <= GATE_SHARE_SLOTS; step++) {
		unsigned int i = (share->turn + step) % GATE_SHARE_SLOTS;

		if (owner_may_take(share, &share->owners[i]))
			return (int)i;
	}
	return -1;
}

int gate_share_pop(struct gate_share *share)
{
	struct gate_share_owner *owner;
	int o = next_owner(share), slot;

	if (o < 0)
		return -1;
	owner = &share->owners[o];
	slot = owner->head;
	owner->head = share->next[slot];
	if (owner->head < 0)
		owner->tail = -1;
	share->next[slot] = -1;
	owner->queued--;
	owner->judging++;
	share->queued--;
	share->judging[slot] = true;
	share->turn = (unsigned int)o;
	return slot;
}

int gate_share_done(struct gate_share *share, int slot)
{
	if (slot < 0 || slot >= GATE_SHARE_SLOTS || share->owner_of[slot] < 0 ||
	    !share->judging[slot])
		return -EINVAL;
	share->owners[share->owner_of[slot]].judging--;
	share->owner_of[slot] = -1;
	share->judging[slot] = false;
	return 0;
}

int gate_share_remove(struct gate_share *share, int slot)
{
	struct gate_share_owner *owner;
	int prev = -1;

	if (slot < 0 || slot >= GATE_SHARE_SLOTS || share->owner_of[slot] < 0 ||
	    share->judging[slot])
		return -EINVAL;
	owner = &share->owners[share->owner_of[slot]];
	for (int at = owner->head; at != slot; at = share->next[at])
		prev = at;
	if (prev < 0)
		owner->head = share->next[slot];
	else
		share->next[prev] = share->next[slot];
	if (owner->tail == slot)
		owner->tail = prev;
	share->next[slot] = -1;
	share->owner_of[slot] = -1;
	owner->queued--;
	share->queued--;
	return 0;
}

bool gate_share_waiting(const struct gate_share *share)
{
	return share->queued && next_owner(share) >= 0;
}
