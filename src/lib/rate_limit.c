// SPDX-License-Identifier: LGPL-2.1-or-later
/* canister: per-key token buckets, so that one container's flood of records cannot drown
 * another's. */
#include "lib/rate_limit.h"

#define NS_PER_SECOND 1000000000ULL

bool canister_rate_take(struct canister_rate_limit *limit, uint64_t key, uint64_t now_ns)
{
	struct canister_rate_bucket *b = &limit->buckets[key % limit->count];
	uint64_t refill;

	if (!b->used || b->key != key)
		*b = (struct canister_rate_bucket){
			.key = key, .refilled_ns = now_ns, .tokens = limit->burst, .used = true
		};
	/* A clock that went back (it does not: monotonic) refills nothing. */
	refill = now_ns > b->refilled_ns
			 ? (now_ns - b->refilled_ns) * limit->per_second / NS_PER_SECOND
			 : 0;
	if (refill) {
		b->tokens = refill >= limit->burst - b->tokens ? limit->burst
							       : b->tokens + (uint32_t)refill;
		/* Only whole tokens are spent: the remainder of the interval carries over. */
		b->refilled_ns += refill * NS_PER_SECOND / limit->per_second;
	}
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}
