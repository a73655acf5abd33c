// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a map from u64 keys to u64 values in memory, for lookups on hot paths. */
#include "lib/u64map.h"

#include <errno.h>
#include <stdlib.h>

#define INITIAL_CAPACITY 64

/* splitmix64's finaliser: contids and pids are small and dense, and must spread. */
static size_t slot_of(const struct canister_u64map *map, uint64_t key)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	key ^= key >> 31;
	return (size_t)key & (map->capacity - 1);
}

static struct canister_u64map_slot *find(const struct canister_u64map *map, uint64_t key)
{
	if (!map->capacity)
		return NULL;
	for (size_t i = slot_of(map, key);; i = (i + 1) & (map->capacity - 1)) {
		struct canister_u64map_slot *slot = &map->slots[i];

		if (!slot->used)
			return NULL;
		if (slot->key == key)
			return slot;
	}
}

bool canister_u64map_get(const struct canister_u64map *map, uint64_t key, uint64_t *ret_value)
{
	const struct canister_u64map_slot *slot = find(map, key);

	if (!slot)
		return false;
	*ret_value = slot->value;
	return true;
}

static void insert(struct canister_u64map *map, uint64_t key, uint64_t value)
{
	size_t i = slot_of(map, key);

	while (map->slots[i].used && map->slots[i].key != key)
		i = (i + 1) & (map->capacity - 1);
	if (!map->slots[i].used)
		map->count++;
	map->slots[i] = (struct canister_u64map_slot){ .key = key, .value = value, .used = true };
}

static int grow(struct canister_u64map *map)
{
	struct canister_u64map old = *map;
	size_t capacity = map->capacity ? 2 * map->capacity : INITIAL_CAPACITY;
	struct canister_u64map_slot *slots = calloc(capacity, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	map->slots = slots;
	map->capacity = capacity;
	map->count = 0;
	for (size_t i = 0; i < old.capacity; i++)
		if (old.slots[i].used)
			insert(map, old.slots[i].key, old.slots[i].value);
	free(old.slots);
	return 0;
}

int canister_u64map_put(struct canister_u64map *map, uint64_t key, uint64_t value)
{
	struct canister_u64map_slot *slot = find(map, key);

	if (slot) {
		slot->value = value;
		return 0;
	}
	if ((map->count + 1) * 2 > map->capacity) {
		int r = grow(map);

		if (r < 0)
			return r;
	}
	insert(map, key, value);
	return 0;
}

bool canister_u64map_remove(struct canister_u64map *map, uint64_t key)
{
	struct canister_u64map_slot *slot = find(map, key);
	size_t hole, i;

	if (!slot)
		return false;
	hole = (size_t)(slot - map->slots);
	map->slots[hole].used = false;
	map->count--;
	/* Backward shift: a later entry that probed past the hole moves into it. */
	for (i = (hole + 1) & (map->capacity - 1); map->slots[i].used;
	     i = (i + 1) & (map->capacity - 1)) {
		size_t home = slot_of(map, map->slots[i].key);

		/* Stays when its home lies cyclically in (hole, i]. */
		if (hole <= i ? (home > hole && home <= i) : (home > hole || home <= i))
			continue;
		map->slots[hole] = map->slots[i];
		map->slots[i].used = false;
		hole = i;
	}
	return true;
}

void canister_u64map_clear(struct canister_u64map *map)
{
	free(map->slots);
	*map = (struct canister_u64map){ 0 };
}
