/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: file versions listed in every list of a container's chain, found by open file (pure).
 */
#ifndef CANISTERD_INTEGRITY_LISTED_SET_H
#define CANISTERD_INTEGRITY_LISTED_SET_H

#include "integrity/file_digests.h"

#include <canister/canister.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One exec the judge found listed everywhere: what the gate's reader needs to
 * answer the next exec of the same file version by the same container at
 * once.  @mnt_id and @ino are what /proc/self/fdinfo says of the event's
 * descriptor (no filesystem is asked); @key is the version the judge saw;
 * @chain the container and those it nests in, as the judge walked them
 * (a contid dropped and registered again elsewhere has another chain).
 */
struct listed_file {
	uint64_t contid;
	uint64_t mnt_id, ino;
	struct integrity_file_key key;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;
};

/*
 * Direct-mapped: each (container, mount, inode) has one slot, and a file that
 * lands on a taken slot takes it over.  Bounded with no bookkeeping; a file
 * pushed out costs its next exec a trip through the judge, never a wrong
 * answer.
 */
struct listed_set {
	struct listed_file *slots;
	bool *used;
	size_t slot_count; /* a power of two */
};

/* listed_set_init() - room for @slot_count files (rounded up to a power of two).  0 or -ENOMEM. */
int listed_set_init(struct listed_set *set, size_t slot_count);
void listed_set_free(struct listed_set *set);

/* listed_set_put() - @file is remembered, in place of whatever shared its slot. */
void listed_set_put(struct listed_set *set, const struct listed_file *file);

/* listed_set_find() - true with what the set holds for @contid's @mnt_id, @ino in @ret. */
bool listed_set_find(const struct listed_set *set, uint64_t contid, uint64_t mnt_id, uint64_t ino,
		     struct listed_file *ret);

/*
 * listed_set_matches() - whether @file answers an exec of the version @key
 * by a container whose chain is now @chain (@depth levels): the same version
 * and the same chain.
 */
bool listed_set_matches(const struct listed_file *file, const struct integrity_file_key *key,
			const uint64_t *chain, unsigned int depth);

#endif
