/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: decision records on their way to the main loop, deduplicated and rate-limited. */
#ifndef CANISTERD_RECORD_QUEUE_H
#define CANISTERD_RECORD_QUEUE_H

#include "core/canisterd.h"
#include "core/loop_queue.h"
#include "lib/rate_limit.h"
#include "lib/record_repeats.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Distinct decisions remembered (direct-mapped: a collision forgets the older one). */
#define RECORD_QUEUE_SEEN 4096
/* Records a container writes a second at most (bursts of twice that). */
#define RECORD_QUEUE_PER_SECOND 50
#define RECORD_QUEUE_BUCKETS 256
/* A windowed decision is a repeat within this long of the last one written. */
#define RECORD_QUEUE_WINDOW_NS 1000000000ULL
/* Records waiting for the main loop at most; past it they are counted lost. */
#define RECORD_QUEUE_MAX 1024

struct record_queue_counts {
	uint64_t written;    /* admitted (queued, or lost if the queue was full) */
	uint64_t repeated;   /* left out as a repeat of a recorded decision */
	uint64_t suppressed; /* left out by a container's rate limit */
	uint64_t lost;	     /* the queue was full or closed, or no memory */
};

/*
 * The access and model capabilities judge on the gate's workers and BPF
 * readers, and a container can make them decide the same thing in a loop:
 * each decision passes record_queue_admit() (a repeat is counted and carried
 * by the next one written, a container over its rate is counted), and what is
 * admitted goes through a loop_queue to the main loop, where the
 * capability's deliver() formats and writes it.  The record's fields and
 * wording stay the capability's own: its item embeds a loop_queue_item first.
 */
struct record_queue {
	struct loop_queue queue;
	/* Private. */
	pthread_mutex_t lock; /* everything below */
	struct canister_record_seen seen[RECORD_QUEUE_SEEN];
	struct canister_rate_bucket buckets[RECORD_QUEUE_BUCKETS];
	struct canister_rate_limit limit;
	struct canister_record_repeats repeats;
	struct record_queue_counts counts;
};

/* The fields a record queue starts with; @deliver_fn and @discard_fn as for a loop_queue. */
#define RECORD_QUEUE_INIT(rq, deliver_fn, discard_fn)                                           \
	{                                                                                       \
		.queue = LOOP_QUEUE_INIT((rq).queue, RECORD_QUEUE_MAX, deliver_fn, discard_fn), \
		.lock = PTHREAD_MUTEX_INITIALIZER,                                              \
		.limit = { .buckets = (rq).buckets,                                             \
			   .count = RECORD_QUEUE_BUCKETS,                                       \
			   .per_second = RECORD_QUEUE_PER_SECOND,                               \
			   .burst = 2 * RECORD_QUEUE_PER_SECOND },                              \
		.repeats = { .seen = (rq).seen,                                                 \
			     .seen_count = RECORD_QUEUE_SEEN,                                   \
			     .limit = &(rq).limit,                                              \
			     .window_ns = RECORD_QUEUE_WINDOW_NS },                             \
	}

/* record_queue_open() - deliveries start.  Returns 0 or -errno with @why. */
int record_queue_open(struct canisterd *d, struct record_queue *rq, char *why, size_t why_len);

/* record_queue_close() - what is queued is delivered, then pushes are counted lost. */
void record_queue_close(struct canisterd *d, struct record_queue *rq);

/*
 * record_queue_admit() - whether decision @key (never 0; see
 * canister_record_key()) of container @contid is written now, and with
 * *@ret_repeats repeats left out before it.  A @windowed decision repeats
 * only within RECORD_QUEUE_WINDOW_NS of the last one written; an unwindowed
 * one repeats while it is remembered.  Counted as written, repeated or
 * suppressed.  Any thread.
 */
bool record_queue_admit(struct record_queue *rq, uint64_t key, uint64_t contid, bool windowed,
			uint64_t *ret_repeats);

/* record_queue_admit_at() - as record_queue_admit(), at @now_ns (CLOCK_MONOTONIC): for tests. */
bool record_queue_admit_at(struct record_queue *rq, uint64_t key, uint64_t contid, bool windowed,
			   uint64_t now_ns, uint64_t *ret_repeats);

/*
 * record_queue_push() - an admitted record's @item to the main loop: see
 * loop_queue_push() (false: discarded and counted lost; the caller logs it).
 */
bool record_queue_push(struct record_queue *rq, struct loop_queue_item *item);

/* record_queue_count_lost() - an admitted record that could not even be made. */
void record_queue_count_lost(struct record_queue *rq);

/* record_queue_forget() - @contid's decisions are new ones again. */
void record_queue_forget(struct record_queue *rq, uint64_t contid);

void record_queue_counts(struct record_queue *rq, struct record_queue_counts *ret);

#endif
