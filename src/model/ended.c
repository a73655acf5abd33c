// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which ended containers' domains leave memory (pure). */
#include "model/ended.h"

#include <stdlib.h>

/* The first ended first; a tie by contid, so that the pick does not depend on the input order. */
static int by_end(const void *a, const void *b)
{
	const struct model_ended *x = a, *y = b;

	if (x->ended_ms != y->ended_ms)
		return x->ended_ms < y->ended_ms ? -1 : 1;
	return x->contid < y->contid ? -1 : x->contid > y->contid;
}

size_t model_ended_pick(struct model_ended *ended, size_t count, uint64_t now_ms, uint64_t grace_ms,
			size_t kept, uint64_t *ret_contids)
{
	size_t picked = 0, staying = count;

	qsort(ended, count, sizeof(*ended), by_end);
	for (size_t i = 0; i < count; i++) {
		/* A clock read before the mark (another thread's) counts as no time passed. */
		uint64_t age = now_ms > ended[i].ended_ms ? now_ms - ended[i].ended_ms : 0;

		if (!ended[i].saved || (age < grace_ms && staying <= kept))
			continue;
		ret_contids[picked++] = ended[i].contid;
		staying--;
	}
	return picked;
}
