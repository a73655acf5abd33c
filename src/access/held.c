// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access policies it holds, one per container, and the stored ones it refused. */
#include "access/held.h"

#include <canister/abi.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct refusal {
	uint64_t contid;
	char *why;
};

/*
 * Arrays searched from end to end: a host holds a few hundred containers.
 * Only the main loop changes the table, under @lock, so the main loop reads
 * it without; the file gate's threads read it under @lock (held by the main
 * loop only for a realloc or a free, by a gate thread for one decision).
 */
static struct {
	pthread_mutex_t lock;
	struct access_held *held;
	size_t count, room;
	struct refusal *refused;
	size_t refused_count, refused_room;
	struct access_held fallback; /* the default: policy NULL when there is none */
} table = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void release(struct access_held *held)
{
	canister_access_policy_free(held->policy);
	free(held->text);
}

static size_t index_of(uint64_t contid)
{
	size_t i;

	for (i = 0; i < table.count && table.held[i].contid != contid; i++)
		;
	return i;
}

static size_t refused_index(uint64_t contid)
{
	size_t i;

	for (i = 0; i < table.refused_count && table.refused[i].contid != contid; i++)
		;
	return i;
}

static void forget_refusal(uint64_t contid)
{
	size_t i = refused_index(contid);

	if (i == table.refused_count)
		return;
	free(table.refused[i].why);
	table.refused[i] = table.refused[--table.refused_count];
}

/* Room for one more element of @size in *@array (of *@room); false when out of memory. */
static bool grow(void **array, size_t *room, size_t count, size_t size)
{
	void *bigger;
	size_t more;

	if (count < *room)
		return true;
	more = *room ? *room * 2 : 16;
	bigger = realloc(*array, more * size);
	if (!bigger)
		return false;
	*array = bigger;
	*room = more;
	return true;
}

int access_held_put(uint64_t contid, struct canister_access_policy *policy, char *text,
		    size_t text_len, const struct access_stored_settings *settings)
{
	struct access_held fresh = {
		.contid = contid,
		.policy = policy,
		.text = text,
		.text_len = text_len,
		.settings = *settings,
	};
	struct access_held old = { 0 };
	size_t i = index_of(contid);

	if (i == table.count && table.count >= ACCESS_HELD_MAX) {
		release(&fresh);
		return -E2BIG;
	}
	pthread_mutex_lock(&table.lock);
	if (i == table.count &&
	    !grow((void **)&table.held, &table.room, table.count, sizeof(*table.held))) {
		pthread_mutex_unlock(&table.lock);
		release(&fresh);
		return -ENOMEM;
	}
	if (i == table.count)
		table.count++;
	else
		old = table.held[i];
	table.held[i] = fresh;
	pthread_mutex_unlock(&table.lock);
	/* Freed outside the lock: no gate thread can see it any more. */
	release(&old);
	forget_refusal(contid);
	return 0;
}

bool access_held_room(uint64_t contid)
{
	return table.count < ACCESS_HELD_MAX || index_of(contid) < table.count;
}

void access_held_set_default(struct canister_access_policy *policy, char *text, size_t text_len,
			     const struct access_stored_settings *settings)
{
	struct access_held old;

	pthread_mutex_lock(&table.lock);
	old = table.fallback;
	table.fallback = (struct access_held){
		.contid = CANISTER_CONTID_UNSET,
		.policy = policy,
		.text = text,
		.text_len = text_len,
		.from_default = true,
	};
	if (settings)
		table.fallback.settings = *settings;
	pthread_mutex_unlock(&table.lock);
	release(&old);
}

const struct access_held *access_held_default(void)
{
	return table.fallback.policy ? &table.fallback : NULL;
}

bool access_held_handles_fs(uint32_t rights)
{
	const struct access_held *fallback = access_held_default();

	if (fallback && fallback->policy->fs_handled & rights)
		return true;
	for (size_t i = 0; i < access_held_count(); i++)
		if (access_held_at(i)->policy->fs_handled & rights)
			return true;
	return false;
}

const struct access_held *access_held_judging(uint64_t contid)
{
	const struct access_held *own = access_held_find(contid);

	return own ? own : access_held_default();
}

bool access_held_any(void)
{
	return table.count || table.fallback.policy;
}

const struct access_held *access_held_find(uint64_t contid)
{
	size_t i = index_of(contid);

	return i < table.count ? &table.held[i] : NULL;
}

size_t access_held_count(void)
{
	return table.count;
}

const struct access_held *access_held_at(size_t index)
{
	return index < table.count ? &table.held[index] : NULL;
}

void access_held_drop(uint64_t contid)
{
	struct access_held old;
	size_t i = index_of(contid);

	forget_refusal(contid);
	if (i == table.count)
		return;
	pthread_mutex_lock(&table.lock);
	old = table.held[i];
	table.held[i] = table.held[--table.count];
	pthread_mutex_unlock(&table.lock);
	release(&old);
}

void access_held_lock(void)
{
	pthread_mutex_lock(&table.lock);
}

bool access_held_trylock(void)
{
	return pthread_mutex_trylock(&table.lock) == 0;
}

void access_held_unlock(void)
{
	pthread_mutex_unlock(&table.lock);
}

int access_held_refuse(uint64_t contid, const char *why)
{
	char *copy = strdup(why);

	if (!copy)
		return -ENOMEM;
	forget_refusal(contid);
	if (!grow((void **)&table.refused, &table.refused_room, table.refused_count,
		  sizeof(*table.refused))) {
		free(copy);
		return -ENOMEM;
	}
	table.refused[table.refused_count++] = (struct refusal){ .contid = contid, .why = copy };
	return 0;
}

const char *access_held_refused(uint64_t contid)
{
	size_t i = refused_index(contid);

	return i < table.refused_count ? table.refused[i].why : NULL;
}

size_t access_held_refused_count(void)
{
	return table.refused_count;
}

uint64_t access_held_refused_contid(size_t index)
{
	return table.refused[index].contid;
}

void access_held_clear(void)
{
	pthread_mutex_lock(&table.lock);
	for (size_t i = 0; i < table.count; i++)
		release(&table.held[i]);
	for (size_t i = 0; i < table.refused_count; i++)
		free(table.refused[i].why);
	release(&table.fallback);
	table.fallback = (struct access_held){ 0 };
	free(table.held);
	free(table.refused);
	table.held = NULL;
	table.refused = NULL;
	table.count = table.room = table.refused_count = table.refused_room = 0;
	pthread_mutex_unlock(&table.lock);
}
