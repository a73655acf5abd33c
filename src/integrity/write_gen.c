// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a write generation per inode, moved by each FAN_CLOSE_WRITE the gate reads. */
#include "integrity/write_gen.h"

#include <stdatomic.h>

#define BUCKETS_SHIFT 16
#define BUCKETS (1U << BUCKETS_SHIFT)

/* 512 KiB, zero at start.  Seq-cst: a bump is seen by whoever the reader hands a later event. */
static _Atomic uint64_t buckets[BUCKETS];
static _Atomic uint64_t global;

static unsigned int bucket_of(uint64_t dev, uint64_t ino)
{
	uint64_t h = (ino ^ (dev * 0xc2b2ae3d27d4eb4fULL)) * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(h >> (64 - BUCKETS_SHIFT));
}

uint64_t write_gen_of(uint64_t dev, uint64_t ino)
{
	/* A sum of two counters that only grow: it moves whenever either does. */
	return atomic_load(&buckets[bucket_of(dev, ino)]) + atomic_load(&global);
}

void write_gen_bump(uint64_t dev, uint64_t ino)
{
	atomic_fetch_add(&buckets[bucket_of(dev, ino)], 1);
}

void write_gen_bump_all(void)
{
	atomic_fetch_add(&global, 1);
}
