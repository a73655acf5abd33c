/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a map from u64 keys to u64 values in memory, for lookups on hot paths. */
#ifndef CANISTER_LIB_U64MAP_H
#define CANISTER_LIB_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones, so lookups never slow down with churn); it grows to keep at
 * most half its slots used.  Not thread-safe.  Zero-initialise to start empty.
 */
struct canister_u64map {
	struct canister_u64map_slot {
		uint64_t key, value;
		bool used;
	} * slots;
	size_t capacity; /* a power of two, or 0 */
	size_t count;
};

/* canister_u64map_get() - the value of @key: true and *@ret_value, or false. */
bool canister_u64map_get(const struct canister_u64map *map, uint64_t key, uint64_t *ret_value);

/* canister_u64map_put() - @key gets @value (added or replaced).  Returns 0 or -ENOMEM. */
int canister_u64map_put(struct canister_u64map *map, uint64_t key, uint64_t value);

/* canister_u64map_remove() - @key goes; true when it was there. */
bool canister_u64map_remove(struct canister_u64map *map, uint64_t key);

/* canister_u64map_clear() - every key goes; the memory is freed. */
void canister_u64map_clear(struct canister_u64map *map);

#endif
