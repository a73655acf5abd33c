// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: each container's TASK_IDs of the tasks the model saw, by tgid, start, executable. */
#include "model/task_ids.h"

#include "core/log.h"
#include "model/proc_stat.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct table {
	uint64_t contid;
	struct model_task_id_lru lru;
};

/*
 * The containers' tables, sorted by contid (a binary search on each event).
 * One lock: a put or get is a few memory accesses, and the /proc reads a
 * full table's put makes (lives()) are bounded by MODEL_TASK_ID_LRU_SPARED.
 */
static struct {
	pthread_mutex_t lock;
	struct table **tables;
	size_t count, room;
	uint64_t forgotten, containers, refused;
	bool warned;
} dir = { .lock = PTHREAD_MUTEX_INITIALIZER };

typedef void (*put_fn)(const struct model_task_key *key,
		       const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]);
static _Atomic put_fn on_put;

void model_task_ids_on_put(put_fn fn)
{
	on_put = fn;
}

/* The index where @contid's table is, or would go.  Lock held. */
static size_t position(uint64_t contid)
{
	size_t lo = 0, hi = dir.count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dir.tables[mid]->contid < contid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct table *found(uint64_t contid)
{
	size_t at = position(contid);

	return at < dir.count && dir.tables[at]->contid == contid ? dir.tables[at] : NULL;
}

/* @contid's table, made when it has none.  NULL: no memory, or no table left.  Lock held. */
static struct table *table_of(uint64_t contid)
{
	size_t at = position(contid);
	struct table *t, **grown;

	if (at < dir.count && dir.tables[at]->contid == contid)
		return dir.tables[at];
	if (dir.count == MODEL_TASK_IDS_CONTAINERS)
		return NULL;
	if (dir.count == dir.room) {
		size_t room = dir.room ? 2 * dir.room : 16;

		grown = realloc(dir.tables, room * sizeof(*grown));
		if (!grown)
			return NULL;
		dir.tables = grown;
		dir.room = room;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->contid = contid;
	model_task_id_lru_init(&t->lru, MODEL_TASK_IDS_MAX);
	memmove(dir.tables + at + 1, dir.tables + at, (dir.count - at) * sizeof(*dir.tables));
	dir.tables[at] = t;
	dir.count++;
	return t;
}

/* Whether the process @key names still runs (its pid not another's since). */
static bool lives(const struct model_task_key *key, void *ctx)
{
	uint64_t start_time;
	pid_t ppid;

	(void)ctx;
	return model_proc_stat(key->tgid, &ppid, &start_time) == 0 && start_time == key->start_time;
}

bool model_task_ids_get(uint64_t contid, const struct model_task_key *key,
			uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	struct table *t;
	bool hit;

	pthread_mutex_lock(&dir.lock);
	t = found(contid);
	hit = t && model_task_id_lru_get(&t->lru, key, ret);
	pthread_mutex_unlock(&dir.lock);
	return hit;
}

bool model_task_ids_seen_at_exec(uint64_t contid, const struct model_task_key *key)
{
	struct table *t;
	bool seen;

	pthread_mutex_lock(&dir.lock);
	t = found(contid);
	seen = t && model_task_id_lru_seen_at_exec(&t->lru, key);
	pthread_mutex_unlock(&dir.lock);
	return seen;
}

void model_task_ids_put(uint64_t contid, const struct model_task_key *key,
			const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE], bool derived)
{
	put_fn fn = on_put;
	bool warn = false;
	struct table *t;
	int r = -ENOMEM;

	pthread_mutex_lock(&dir.lock);
	t = table_of(contid);
	if (t) {
		bool had_forgotten = t->lru.forgotten > 0;

		r = model_task_id_lru_put(&t->lru, key, task_id, derived, lives, NULL);
		if (r > 0) {
			dir.forgotten++;
			dir.containers += !had_forgotten;
		}
	}
	if (r < 0) {
		dir.refused++;
		warn = !dir.warned;
		dir.warned = true;
	}
	pthread_mutex_unlock(&dir.lock);
	if (warn)
		log_warning("model: container %" PRIu64 "'s TASK_IDs cannot be remembered (%s): "
			    "they are derived again from /proc at each event",
			    contid, t ? "no memory" : "no memory, or no table left");
	/* The kernel's copy is the process's own (lsm mode): remembered here or not. */
	if (fn)
		fn(key, task_id);
}

void model_task_ids_stats(struct model_task_ids_stats *ret)
{
	pthread_mutex_lock(&dir.lock);
	ret->held = 0;
	for (size_t i = 0; i < dir.count; i++)
		ret->held += dir.tables[i]->lru.count;
	ret->forgotten = dir.forgotten;
	ret->containers = dir.containers;
	ret->refused = dir.refused;
	pthread_mutex_unlock(&dir.lock);
}

void model_task_ids_container(uint64_t contid, uint64_t *ret_held, uint64_t *ret_forgotten)
{
	struct table *t;

	pthread_mutex_lock(&dir.lock);
	t = found(contid);
	*ret_held = t ? t->lru.count : 0;
	*ret_forgotten = t ? t->lru.forgotten : 0;
	pthread_mutex_unlock(&dir.lock);
}

void model_task_ids_forget(uint64_t contid)
{
	size_t at;

	pthread_mutex_lock(&dir.lock);
	at = position(contid);
	if (at < dir.count && dir.tables[at]->contid == contid) {
		model_task_id_lru_free(&dir.tables[at]->lru);
		free(dir.tables[at]);
		memmove(dir.tables + at, dir.tables + at + 1,
			(dir.count - at - 1) * sizeof(*dir.tables));
		dir.count--;
	}
	pthread_mutex_unlock(&dir.lock);
}

void model_task_ids_clear(void)
{
	pthread_mutex_lock(&dir.lock);
	for (size_t i = 0; i < dir.count; i++) {
		model_task_id_lru_free(&dir.tables[i]->lru);
		free(dir.tables[i]);
	}
	free(dir.tables);
	dir.tables = NULL;
	dir.count = dir.room = 0;
	dir.forgotten = dir.containers = dir.refused = 0;
	dir.warned = false;
	pthread_mutex_unlock(&dir.lock);
}
