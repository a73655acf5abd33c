// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: which of a capability's decision records are written, repeated or over the rate. */
#include "lib/record_repeats.h"

enum canister_record_fate canister_record_fate(struct canister_record_repeats *r, uint64_t key,
					       uint64_t contid, bool windowed, uint64_t now_ns,
					       uint64_t *ret_repeats)
{
	struct canister_record_seen *s = &r->seen[key % r->seen_count];

	*ret_repeats = 0;
	if (s->key == key && (!windowed || now_ns - s->last_ns < r->window_ns)) {
		s->repeats++;
		return CANISTER_RECORD_REPEATED;
	}
	if (s->key == key)
		*ret_repeats = s->repeats;
	*s = (struct canister_record_seen){ .key = key, .contid = contid, .last_ns = now_ns };
	if (!canister_rate_take(r->limit, contid, now_ns))
		return CANISTER_RECORD_SUPPRESSED;
	return CANISTER_RECORD_WRITE;
}

void canister_record_forget(struct canister_record_repeats *r, uint64_t contid)
{
	for (size_t i = 0; i < r->seen_count; i++)
		if (r->seen[i].key && r->seen[i].contid == contid)
			r->seen[i] = (struct canister_record_seen){ 0 };
}

uint64_t canister_record_key(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}
