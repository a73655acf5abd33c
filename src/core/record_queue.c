// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: decision records on their way to the main loop, deduplicated and rate-limited. */
#include "core/record_queue.h"
#include "lib/clock.h"

#include <time.h>

int record_queue_open(struct canisterd *d, struct record_queue *rq, char *why, size_t why_len)
{
	return loop_queue_open(d, &rq->queue, why, why_len);
}

void record_queue_close(struct canisterd *d, struct record_queue *rq)
{
	loop_queue_close(d, &rq->queue);
}

bool record_queue_admit_at(struct record_queue *rq, uint64_t key, uint64_t contid, bool windowed,
			   uint64_t now_ns, uint64_t *ret_repeats)
{
	bool write = false;

	pthread_mutex_lock(&rq->lock);
	switch (canister_record_fate(&rq->repeats, key, contid, windowed, now_ns, ret_repeats)) {
	case CANISTER_RECORD_REPEATED:
		rq->counts.repeated++;
		break;
	case CANISTER_RECORD_SUPPRESSED:
		rq->counts.suppressed++;
		break;
	default:
		rq->counts.written++;
		write = true;
		break;
	}
	pthread_mutex_unlock(&rq->lock);
	return write;
}

bool record_queue_admit(struct record_queue *rq, uint64_t key, uint64_t contid, bool windowed,
			uint64_t *ret_repeats)
{
	return record_queue_admit_at(rq, key, contid, windowed, canister_monotonic_ns(),
				     ret_repeats);
}

bool record_queue_push(struct record_queue *rq, struct loop_queue_item *item)
{
	return loop_queue_push(&rq->queue, item);
}

void record_queue_count_lost(struct record_queue *rq)
{
	loop_queue_count_lost(&rq->queue);
}

void record_queue_forget(struct record_queue *rq, uint64_t contid)
{
	pthread_mutex_lock(&rq->lock);
	canister_record_forget(&rq->repeats, contid);
	pthread_mutex_unlock(&rq->lock);
}

void record_queue_counts(struct record_queue *rq, struct record_queue_counts *ret)
{
	pthread_mutex_lock(&rq->lock);
	*ret = rq->counts;
	pthread_mutex_unlock(&rq->lock);
	ret->lost = loop_queue_lost(&rq->queue);
}
