// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: one container's TASK_IDs, the least recently used forgotten first (pure). */
#include "model/task_id_lru.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
/* The first allocation: most containers run a few hundred programs at most. */
#define FIRST_ROOM 256u

void model_task_id_lru_init(struct model_task_id_lru *t, uint32_t limit)
{
	memset(t, 0, sizeof(*t));
	t->limit = limit ? limit : 1;
	t->newest = t->oldest = NONE;
}

void model_task_id_lru_free(struct model_task_id_lru *t)
{
	uint32_t limit = t->limit;
	uint64_t forgotten = t->forgotten;

	free(t->entries);
	free(t->buckets);
	model_task_id_lru_init(t, limit);
	t->forgotten = forgotten;
}

static bool same(const struct model_task_key *a, const struct model_task_key *b)
{
	return a->tgid == b->tgid && a->start_time == b->start_time && a->exe_dev == b->exe_dev &&
	       a->exe_ino == b->exe_ino;
}

static uint32_t bucket_of(const struct model_task_id_lru *t, const struct model_task_key *key)
{
	uint64_t h = (uint64_t)(uint32_t)key->tgid * 0x9e3779b97f4a7c15ULL;

	h ^= key->start_time * 0xc2b2ae3d27d4eb4fULL;
	h ^= key->exe_ino * 0x165667b19e3779f9ULL;
	h ^= key->exe_dev;
	h ^= h >> 29;
	return (uint32_t)(h & (t->nbuckets - 1));
}

static uint32_t find(const struct model_task_id_lru *t, const struct model_task_key *key)
{
	if (!t->nbuckets)
		return NONE;
	for (uint32_t i = t->buckets[bucket_of(t, key)]; i != NONE; i = t->entries[i].chain)
		if (same(&t->entries[i].key, key))
			return i;
	return NONE;
}

static void unlink_use(struct model_task_id_lru *t, uint32_t i)
{
	struct model_task_id_entry *e = &t->entries[i];

	if (e->newer != NONE)
		t->entries[e->newer].older = e->older;
	else
		t->newest = e->older;
	if (e->older != NONE)
		t->entries[e->older].newer = e->newer;
	else
		t->oldest = e->newer;
}

static void link_newest(struct model_task_id_lru *t, uint32_t i)
{
	struct model_task_id_entry *e = &t->entries[i];

	e->newer = NONE;
	e->older = t->newest;
	if (t->newest != NONE)
		t->entries[t->newest].newer = i;
	t->newest = i;
	if (t->oldest == NONE)
		t->oldest = i;
}

static void touch(struct model_task_id_lru *t, uint32_t i)
{
	if (t->newest == i)
		return;
	unlink_use(t, i);
	link_newest(t, i);
}

static void unlink_chain(struct model_task_id_lru *t, uint32_t i)
{
	uint32_t *at = &t->buckets[bucket_of(t, &t->entries[i].key)];

	while (*at != i)
		at = &t->entries[*at].chain;
	*at = t->entries[i].chain;
}

static void link_chain(struct model_task_id_lru *t, uint32_t i)
{
	uint32_t *head = &t->buckets[bucket_of(t, &t->entries[i].key)];

	t->entries[i].chain = *head;
	*head = i;
}

/* Room for more entries, up to @limit; the buckets rebuilt for the new room.  0 or -ENOMEM. */
static int grow(struct model_task_id_lru *t)
{
	uint32_t room = t->room ? 2 * t->room : FIRST_ROOM, nbuckets = 1;
	struct model_task_id_entry *entries;
	uint32_t *buckets;

	if (room > t->limit || room < t->room)
		room = t->limit;
	while (nbuckets < room)
		nbuckets *= 2;
	buckets = malloc(nbuckets * sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	entries = realloc(t->entries, room * sizeof(*entries));
	if (!entries) {
		free(buckets);
		return -ENOMEM;
	}
	free(t->buckets);
	t->entries = entries;
	t->room = room;
	t->buckets = buckets;
	t->nbuckets = nbuckets;
	memset(buckets, 0xff, nbuckets * sizeof(*buckets)); /* NONE */
	for (uint32_t i = 0; i < t->count; i++)
		link_chain(t, i);
	return 0;
}

/* The entry to reuse once the table is full: the oldest whose task has ended, within bounds. */
static uint32_t victim(struct model_task_id_lru *t,
		       bool (*lives)(const struct model_task_key *key, void *ctx), void *ctx)
{
	for (int spared = 0; lives && spared < MODEL_TASK_ID_LRU_SPARED && t->count > 1; spared++) {
		uint32_t i = t->oldest;

		if (!lives(&t->entries[i].key, ctx))
			return i;
		touch(t, i);
	}
	return t->oldest;
}

int model_task_id_lru_put(struct model_task_id_lru *t, const struct model_task_key *key,
			  const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE], bool derived,
			  bool (*lives)(const struct model_task_key *key, void *ctx), void *ctx)
{
	uint32_t i = find(t, key);
	int forgot = 0;

	/* An exec once seen stays seen: a TASK_ID derived again later does not unsee it. */
	if (i != NONE && !t->entries[i].derived)
		derived = false;
	if (i == NONE && t->count == t->room && t->room < t->limit && grow(t) < 0)
		return -ENOMEM;
	if (i != NONE) {
		touch(t, i);
	} else if (t->count < t->room) {
		i = t->count++;
		t->entries[i].key = *key;
		link_chain(t, i);
		link_newest(t, i);
	} else {
		i = victim(t, lives, ctx);
		unlink_chain(t, i);
		unlink_use(t, i);
		t->entries[i].key = *key;
		link_chain(t, i);
		link_newest(t, i);
		t->forgotten++;
		forgot = 1;
	}
	memcpy(t->entries[i].task_id, task_id, CANISTER_MODEL_DIGEST_SIZE);
	t->entries[i].derived = derived;
	return forgot;
}

bool model_task_id_lru_get(struct model_task_id_lru *t, const struct model_task_key *key,
			   uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	uint32_t i = find(t, key);

	if (i == NONE)
		return false;
	touch(t, i);
	memcpy(ret, t->entries[i].task_id, CANISTER_MODEL_DIGEST_SIZE);
	return true;
}

bool model_task_id_lru_seen_at_exec(const struct model_task_id_lru *t,
				    const struct model_task_key *key)
{
	uint32_t i = find(t, key);

	return i != NONE && !t->entries[i].derived;
}
