// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the containers of exited processes, so that their late audit records are attributed. */
#include "audit/pid_history.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#define NONE UINT32_MAX

/* One exited life of a pid. */
struct life {
	uint64_t contid;
	uint64_t start_ns; /* 0: unknown */
	uint64_t exit_ns;
	pid_t pid;
	uint32_t next; /* the same pid's next life by exit time, or NONE */
};

/* A pid that has lives in the table. */
struct slot {
	pid_t pid;	 /* 0: free */
	uint32_t oldest; /* its lives, in exit order */
	/* When its present process began (_started()), 0 if unknown; moves into the life at its
	 * exit. */
	uint64_t pending_start;
};

struct canister_pid_history {
	/*
	 * The lives as a ring in the order they were recorded, so that the
	 * first recorded is the first to go, when full or expired, in O(1).
	 */
	struct life *lives;
	uint32_t capacity, first, count;
	/* Open addressing, linear probing, at most half full (one slot per pid with lives). */
	struct slot *slots;
	uint32_t slot_mask;
	uint64_t retention_ns;
	uint64_t evicted;
};

static uint32_t pid_hash(pid_t pid)
{
	/* Pids are handed out in sequence; the murmur3 finaliser spreads neighbours apart. */
	uint32_t x = (uint32_t)pid;

	x ^= x >> 16;
	x *= 0x85ebca6bU;
	x ^= x >> 13;
	x *= 0xc2b2ae35U;
	x ^= x >> 16;
	return x;
}

/* The slot of @pid, or where it would go (a free slot) when it has none. */
static uint32_t slot_index(const struct canister_pid_history *h, pid_t pid)
{
	uint32_t i = pid_hash(pid) & h->slot_mask;

	while (h->slots[i].pid != 0 && h->slots[i].pid != pid)
		i = (i + 1) & h->slot_mask;
	return i;
}

static struct slot *find_slot(const struct canister_pid_history *h, pid_t pid)
{
	struct slot *s = &h->slots[slot_index(h, pid)];

	return s->pid == pid ? s : NULL;
}

/* Frees slot @i, moving later entries of its probe run back so that no lookup stops short. */
static void delete_slot(struct canister_pid_history *h, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		h->slots[i].pid = 0;
		for (;;) {
			uint32_t home;

			j = (j + 1) & h->slot_mask;
			if (h->slots[j].pid == 0)
				return;
			home = pid_hash(h->slots[j].pid) & h->slot_mask;
			/* An entry whose home lies cyclically in (i, j] is still reachable. */
			if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
				continue;
			break;
		}
		h->slots[i] = h->slots[j];
		i = j;
	}
}

int canister_pid_history_new(size_t capacity, uint64_t retention_ns,
			     struct canister_pid_history **ret)
{
	struct canister_pid_history *h;
	size_t slots = 2;

	if (!ret || capacity == 0 || capacity > CANISTER_PID_HISTORY_MAX_CAPACITY)
		return -EINVAL;
	while (slots < 2 * capacity)
		slots *= 2;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->lives = calloc(capacity, sizeof(*h->lives));
	h->slots = calloc(slots, sizeof(*h->slots));
	if (!h->lives || !h->slots) {
		canister_pid_history_free(h);
		return -ENOMEM;
	}
	h->capacity = (uint32_t)capacity;
	h->slot_mask = (uint32_t)(slots - 1);
	h->retention_ns = retention_ns;
	*ret = h;
	return 0;
}

void canister_pid_history_free(struct canister_pid_history *h)
{
	if (!h)
		return;
	free(h->lives);
	free(h->slots);
	free(h);
}

/* Forgets the life recorded first. */
static void drop_first(struct canister_pid_history *h)
{
	uint32_t victim = h->first;
	uint32_t si = slot_index(h, h->lives[victim].pid);
	struct slot *s = &h->slots[si];
	uint32_t *link = &s->oldest;

	/* Usually the pid's oldest life; one recorded out of exit order sits further on. */
	while (*link != victim)
		link = &h->lives[*link].next;
	*link = h->lives[victim].next;
	/* A pid without lives keeps no slot, so the slots stay bounded by the lives. */
	if (s->oldest == NONE)
		delete_slot(h, si);

	h->first = (h->first + 1) % h->capacity;
	h->count--;
}

void canister_pid_history_exited(struct canister_pid_history *h, pid_t pid, uint64_t contid,
				 uint64_t exit_ns)
{
	struct slot *s;
	uint32_t idx, *link;
	uint64_t pending = 0, start_ns = 0;

	if (!h || pid <= 0)
		return;

	s = find_slot(h, pid);
	if (s)
		pending = s->pending_start;
	/* A start after this exit belongs to a later life: it stays pending. */
	if (pending && pending <= exit_ns)
		start_ns = pending;

	/* Taken before: making room may drop this pid's last life, and its slot with it. */
	if (h->count == h->capacity) {
		drop_first(h);
		h->evicted++;
	}

	s = &h->slots[slot_index(h, pid)];
	if (s->pid != pid) {
		s->pid = pid;
		s->oldest = NONE;
	}
	s->pending_start = start_ns ? 0 : pending;

	idx = (h->first + h->count) % h->capacity;
	h->count++;
	h->lives[idx] = (struct life){
		.contid = contid,
		.start_ns = start_ns,
		.exit_ns = exit_ns,
		.pid = pid,
	};
	/* Kept in exit order, so that "newer" means "later in the list" even when exits arrive out
	 * of order. */
	link = &s->oldest;
	while (*link != NONE && h->lives[*link].exit_ns <= exit_ns)
		link = &h->lives[*link].next;
	h->lives[idx].next = *link;
	*link = idx;
}

void canister_pid_history_started(struct canister_pid_history *h, pid_t pid, uint64_t start_ns)
{
	struct slot *s;

	if (!h || pid <= 0)
		return;
	s = find_slot(h, pid);
	if (s)
		s->pending_start = start_ns;
}

int canister_pid_history_lookup(const struct canister_pid_history *h, pid_t pid, uint64_t event_ns,
				uint64_t *ret_contid)
{
	const struct slot *s;
	uint64_t contid = 0;
	bool found = false;

	if (!h || !ret_contid)
		return -EINVAL;
	if (pid <= 0)
		return -ENOENT;
	s = find_slot(h, pid);
	if (!s)
		return -ENOENT;

	for (uint32_t i = s->oldest; i != NONE; i = h->lives[i].next) {
		const struct life *l = &h->lives[i];

		/* This life began before the event: no older one can have been running then. */
		if (l->start_ns && l->start_ns < event_ns)
			found = false;
		/* On a tie the older life stays the answer; it was the one alive. */
		if (!found && l->start_ns <= event_ns && event_ns <= l->exit_ns) {
			contid = l->contid;
			found = true;
		}
	}
	/* The pid's present process began before the event: the event is its own. */
	if (s->pending_start && s->pending_start < event_ns)
		found = false;

	if (!found)
		return -ENOENT;
	*ret_contid = contid;
	return 0;
}

void canister_pid_history_expire(struct canister_pid_history *h, uint64_t now_ns)
{
	uint64_t cutoff;

	if (!h || now_ns < h->retention_ns)
		return;
	cutoff = now_ns - h->retention_ns;
	while (h->count && h->lives[h->first].exit_ns < cutoff)
		drop_first(h);
}

size_t canister_pid_history_size(const struct canister_pid_history *h)
{
	return h ? h->count : 0;
}

uint64_t canister_pid_history_evicted(const struct canister_pid_history *h)
{
	return h ? h->evicted : 0;
}
