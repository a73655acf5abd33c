// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the TASK_ID of each task the model saw, by (tgid, start time, executable). */
#include "model/task_ids.h"

#include <pthread.h>
#include <string.h>

/* Open addressing, at most half full: a probe ends within a few slots. */
#define SLOTS (2 * MODEL_TASK_IDS_MAX)

struct slot {
	bool used;
	struct model_task_key key;
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
};

static struct {
	pthread_mutex_t lock;
	struct slot slots[SLOTS];
	size_t count;
	uint64_t resets;
} table = { .lock = PTHREAD_MUTEX_INITIALIZER };

typedef void (*put_fn)(const struct model_task_key *key,
		       const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]);
static _Atomic put_fn on_put;

void model_task_ids_on_put(put_fn fn)
{
	on_put = fn;
}

static bool same(const struct model_task_key *a, const struct model_task_key *b)
{
	return a->tgid == b->tgid && a->start_time == b->start_time && a->exe_dev == b->exe_dev &&
	       a->exe_ino == b->exe_ino;
}

static size_t first_slot(const struct model_task_key *key)
{
	uint64_t h = (uint64_t)(uint32_t)key->tgid * 0x9e3779b97f4a7c15ULL;

	h ^= key->start_time * 0xc2b2ae3d27d4eb4fULL;
	h ^= key->exe_ino * 0x165667b19e3779f9ULL;
	h ^= key->exe_dev;
	return (size_t)(h % SLOTS);
}

/* The slot of @key, or the free one where it would go.  Lock held. */
static struct slot *lookup_locked(const struct model_task_key *key)
{
	size_t at = first_slot(key);

	for (size_t probes = 0; probes < SLOTS; probes++) {
		struct slot *slot = &table.slots[(at + probes) % SLOTS];

		if (!slot->used || same(&slot->key, key))
			return slot;
	}
	return NULL; /* never: the table is at most half full */
}

bool model_task_ids_get(const struct model_task_key *key, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	struct slot *slot;
	bool found;

	pthread_mutex_lock(&table.lock);
	slot = lookup_locked(key);
	found = slot && slot->used;
	if (found)
		memcpy(ret, slot->task_id, CANISTER_MODEL_DIGEST_SIZE);
	pthread_mutex_unlock(&table.lock);
	return found;
}

void model_task_ids_put(const struct model_task_key *key,
			const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE])
{
	put_fn fn = on_put;
	struct slot *slot;

	pthread_mutex_lock(&table.lock);
	slot = lookup_locked(key);
	if (slot && !slot->used && table.count >= MODEL_TASK_IDS_MAX) {
		/* Full: forget all (documented in the header), then take this one. */
		memset(table.slots, 0, sizeof(table.slots));
		table.count = 0;
		table.resets++;
		slot = lookup_locked(key);
	}
	if (slot) {
		if (!slot->used)
			table.count++;
		slot->used = true;
		slot->key = *key;
		memcpy(slot->task_id, task_id, CANISTER_MODEL_DIGEST_SIZE);
	}
	pthread_mutex_unlock(&table.lock);
	if (fn)
		fn(key, task_id);
}

void model_task_ids_stats(size_t *ret_count, uint64_t *ret_resets)
{
	pthread_mutex_lock(&table.lock);
	*ret_count = table.count;
	*ret_resets = table.resets;
	pthread_mutex_unlock(&table.lock);
}

void model_task_ids_clear(void)
{
	pthread_mutex_lock(&table.lock);
	memset(table.slots, 0, sizeof(table.slots));
	table.count = 0;
	pthread_mutex_unlock(&table.lock);
}
