/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* canister: per-key token buckets, so that one container's flood of records cannot drown
 * another's. */
#ifndef CANISTER_LIB_RATE_LIMIT_H
#define CANISTER_LIB_RATE_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct canister_rate_bucket {
	uint64_t key, refilled_ns;
	uint32_t tokens;
	bool used;
};

/*
 * A fixed table of buckets, direct-mapped by key: two keys that share a slot
 * take turns owning it, and a key that takes a slot over starts with a full
 * burst (a collision can only let more through, never silence a key).
 */
struct canister_rate_limit {
	struct canister_rate_bucket *buckets;
	size_t count;
	uint32_t per_second; /* tokens added a second */
	uint32_t burst;	     /* tokens held at most */
};

/*
 * canister_rate_take() - whether @key may have one more now (@now_ns, a
 * monotonic clock): a token is taken if there is one.  The caller locks.
 */
bool canister_rate_take(struct canister_rate_limit *limit, uint64_t key, uint64_t now_ns);

#endif
