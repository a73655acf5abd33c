// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: file versions listed in every list of a container's chain, found by open file (pure).
 */
#include "integrity/listed_set.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int listed_set_init(struct listed_set *set, size_t slot_count)
{
	size_t n = 1;

	while (n < slot_count)
		n *= 2;
	memset(set, 0, sizeof(*set));
	set->slots = calloc(n, sizeof(*set->slots));
	set->used = calloc(n, sizeof(*set->used));
	if (!set->slots || !set->used) {
		listed_set_free(set);
		return -ENOMEM;
	}
	set->slot_count = n;
	return 0;
}

void listed_set_free(struct listed_set *set)
{
	free(set->slots);
	free(set->used);
	memset(set, 0, sizeof(*set));
}

static size_t slot_of(const struct listed_set *set, uint64_t contid, uint64_t mnt_id, uint64_t ino)
{
	uint64_t h = ino * 0x9e3779b97f4a7c15ULL;

	h ^= (mnt_id + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL;
	h ^= contid * 0x94d049bb133111ebULL;
	return (size_t)(h ^ (h >> 31)) & (set->slot_count - 1);
}

void listed_set_put(struct listed_set *set, const struct listed_file *file)
{
	size_t i;

	if (!set->slot_count)
		return;
	i = slot_of(set, file->contid, file->mnt_id, file->ino);
	set->slots[i] = *file;
	set->used[i] = true;
}

bool listed_set_find(const struct listed_set *set, uint64_t contid, uint64_t mnt_id, uint64_t ino,
		     struct listed_file *ret)
{
	const struct listed_file *file;
	size_t i;

	if (!set->slot_count)
		return false;
	i = slot_of(set, contid, mnt_id, ino);
	file = &set->slots[i];
	if (!set->used[i] || file->contid != contid || file->mnt_id != mnt_id || file->ino != ino)
		return false;
	*ret = *file;
	return true;
}

bool listed_set_matches(const struct listed_file *file, const struct integrity_file_key *key,
			const uint64_t *chain, unsigned int depth)
{
	/* Keys are built field by field from zeroed memory: memcmp is exact. */
	return memcmp(&file->key, key, sizeof(*key)) == 0 && file->depth == depth &&
	       memcmp(file->chain, chain, depth * sizeof(*chain)) == 0;
}
