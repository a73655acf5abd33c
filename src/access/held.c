// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access policies it holds, one per container, and the stored ones it refused. */
#include "access/held.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct refusal {
	uint64_t contid;
	char *why;
};

/*
 * Arrays searched from end to end: a policy is looked up on a control
 * request and at the once-a-second sweep, never on a file's open, and a
 * host holds a few hundred containers.
 */
static struct {
	struct access_held *held;
	size_t count, room;
	struct refusal *refused;
	size_t refused_count, refused_room;
} table;

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
	size_t i = index_of(contid);

	if (i == table.count &&
	    !grow((void **)&table.held, &table.room, table.count, sizeof(*table.held))) {
		release(&fresh);
		return -ENOMEM;
	}
	if (i == table.count)
		table.count++;
	else
		release(&table.held[i]);
	table.held[i] = fresh;
	forget_refusal(contid);
	return 0;
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
	size_t i = index_of(contid);

	forget_refusal(contid);
	if (i == table.count)
		return;
	release(&table.held[i]);
	table.held[i] = table.held[--table.count];
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
	for (size_t i = 0; i < table.count; i++)
		release(&table.held[i]);
	for (size_t i = 0; i < table.refused_count; i++)
		free(table.refused[i].why);
	free(table.held);
	free(table.refused);
	memset(&table, 0, sizeof(table));
}
