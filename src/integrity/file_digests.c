// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: files by identity and version, each with its sha256 digest (pure). */
#include "integrity/file_digests.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_CAPACITY 64

void integrity_file_key_from_stat(const struct stat *st, uint64_t write_gen,
				  struct integrity_file_key *ret_key)
{
	/* Built field by field: memcmp compares keys, so the padding must be zero too. */
	memset(ret_key, 0, sizeof(*ret_key));
	ret_key->dev = st->st_dev;
	ret_key->ino = st->st_ino;
	ret_key->size = (uint64_t)st->st_size;
	ret_key->ctime_sec = st->st_ctim.tv_sec;
	ret_key->ctime_nsec = st->st_ctim.tv_nsec;
	ret_key->mtime_sec = st->st_mtim.tv_sec;
	ret_key->mtime_nsec = st->st_mtim.tv_nsec;
	ret_key->write_gen = write_gen;
}

static bool before(int64_t sec, int64_t nsec, const struct timespec *limit)
{
	return sec < limit->tv_sec || (sec == limit->tv_sec && nsec < limit->tv_nsec);
}

bool integrity_file_key_settled(const struct integrity_file_key *key, const struct timespec *now)
{
	struct timespec limit = { .tv_sec = now->tv_sec - INTEGRITY_FILE_SETTLE_SEC,
				  .tv_nsec = now->tv_nsec };

	return before(key->ctime_sec, key->ctime_nsec, &limit) &&
	       before(key->mtime_sec, key->mtime_nsec, &limit);
}

void integrity_file_digests_init(struct integrity_file_digests *table, size_t max)
{
	memset(table, 0, sizeof(*table));
	table->max = max;
}

void integrity_file_digests_free(struct integrity_file_digests *table)
{
	free(table->slots);
	integrity_file_digests_init(table, table->max);
}

static size_t key_hash(const struct integrity_file_key *key)
{
	uint64_t h = key->ino * 0x9e3779b97f4a7c15ULL;

	h ^= key->dev + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
	h ^= (uint64_t)key->mtime_nsec + (uint64_t)key->ctime_nsec + key->size + key->write_gen;
	return (size_t)(h ^ (h >> 29));
}

/* The slot holding @key, or the free slot where it would go. */
static struct integrity_file_slot *find(const struct integrity_file_digests *table,
					const struct integrity_file_key *key)
{
	size_t mask = table->capacity - 1;

	for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
		struct integrity_file_slot *slot = &table->slots[i];

		if (!slot->used || memcmp(&slot->key, key, sizeof(*key)) == 0)
			return slot;
	}
}

bool integrity_file_digests_get(const struct integrity_file_digests *table,
				const struct integrity_file_key *key, uint8_t *ret_digest)
{
	const struct integrity_file_slot *slot;

	if (!table->capacity)
		return false;
	slot = find(table, key);
	if (!slot->used)
		return false;
	if (ret_digest)
		memcpy(ret_digest, slot->digest, INTEGRITY_SHA256_SIZE);
	return true;
}

static int grow(struct integrity_file_digests *table)
{
	size_t capacity = table->capacity ? table->capacity * 2 : FIRST_CAPACITY;
	struct integrity_file_digests bigger = { .capacity = capacity, .max = table->max };

	bigger.slots = calloc(capacity, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < table->capacity; i++) {
		if (!table->slots[i].used)
			continue;
		*find(&bigger, &table->slots[i].key) = table->slots[i];
		bigger.count++;
	}
	free(table->slots);
	*table = bigger;
	return 0;
}

int integrity_file_digests_put(struct integrity_file_digests *table,
			       const struct integrity_file_key *key, const uint8_t *digest)
{
	struct integrity_file_slot *slot;

	if (table->capacity && find(table, key)->used) {
		memcpy(find(table, key)->digest, digest, INTEGRITY_SHA256_SIZE);
		return 0;
	}
	if (table->max && table->count >= table->max) {
		memset(table->slots, 0, table->capacity * sizeof(*table->slots));
		table->count = 0;
	}
	if ((table->count + 1) * 2 > table->capacity) {
		int r = grow(table);

		if (r < 0)
			return r;
	}
	slot = find(table, key);
	slot->used = true;
	slot->key = *key;
	memcpy(slot->digest, digest, INTEGRITY_SHA256_SIZE);
	table->count++;
	return 0;
}
