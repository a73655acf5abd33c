// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a sealed model's forensics as CONTAINER_MODEL records, bounded per container. */
#include "model/records.h"

#include "core/log.h"
#include "core/loop_queue.h"
#include "core/records.h"
#include "identity/identity.h"
#include "lib/audit_record.h"
#include "lib/rate_limit.h"
#include "lib/record_repeats.h"

#include <canister/canister.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Distinct entries remembered (direct-mapped: a collision forgets the older one). */
#define MODEL_RECORDS_SEEN 4096
#define MODEL_RECORDS_PER_SECOND 50
#define MODEL_RECORDS_BUCKETS 256
#define REPEAT_NS 1000000000ULL
#define QUEUE_MAX 1024

struct item {
	struct loop_queue_item link;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;
	uint64_t repeats;
	pid_t pid;
	bool enforce, denied;
	const char *op, *event;
	char coefficient[72];
	char *exe, *target;
};

static void deliver(struct loop_queue_item *link);
static void discard(struct loop_queue_item *link);

static struct {
	struct loop_queue queue;
	pthread_mutex_t lock; /* everything below */
	struct canister_record_seen seen[MODEL_RECORDS_SEEN];
	struct canister_rate_bucket buckets[MODEL_RECORDS_BUCKETS];
	struct canister_rate_limit limit;
	struct canister_record_repeats repeats;
	struct model_record_counts counts;
} mr = {
	.queue = LOOP_QUEUE_INIT(mr.queue, QUEUE_MAX, deliver, discard),
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.limit = { .buckets = mr.buckets,
		   .count = MODEL_RECORDS_BUCKETS,
		   .per_second = MODEL_RECORDS_PER_SECOND,
		   .burst = 2 * MODEL_RECORDS_PER_SECOND },
	.repeats = { .seen = mr.seen,
		     .seen_count = MODEL_RECORDS_SEEN,
		     .limit = &mr.limit,
		     .window_ns = REPEAT_NS },
};

static void item_free(struct item *it)
{
	free(it->exe);
	free(it->target);
	free(it);
}

static void deliver(struct loop_queue_item *link)
{
	struct item *it = (struct item *)link;
	struct canister_model_record rec = {
		.op = it->op,
		.chain = it->chain,
		.depth = it->depth,
		.pid = it->pid,
		.exe = it->exe,
		.target = it->target,
		.event = it->event,
		.coefficient = it->coefficient,
		.mode = it->enforce ? "enforce" : "seal",
		.repeats = it->repeats,
		.res = !it->denied,
	};
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	records_stamp(0, &when);
	records_write("CONTAINER_MODEL",
		      canister_format_model_record(&when, &rec, buf, sizeof(buf)), buf,
		      it->chain[0]);
	item_free(it);
}

static void discard(struct loop_queue_item *link)
{
	struct item *it = (struct item *)link;

	log_error("model: a CONTAINER_MODEL record (%s of container %" PRIu64
		  ") is lost: the queue is full",
		  it->event, it->chain[0]);
	item_free(it);
}

int model_records_open(struct canisterd *d, char *why, size_t why_len)
{
	return loop_queue_open(d, &mr.queue, why, why_len);
}

void model_records_close(struct canisterd *d)
{
	loop_queue_close(d, &mr.queue);
}

/* The container, the process and the coefficient: a collision only costs a record. */
static uint64_t entry_key(const struct model_forensic *f)
{
	uint64_t h = canister_record_key(CANISTER_RECORD_KEY_START, &f->contid, sizeof(f->contid));

	h = canister_record_key(h, &f->pid, sizeof(f->pid));
	h = canister_record_key(h, f->coefficient, strlen(f->coefficient));
	return h ? h : 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Whether @f is written, and with how many repeats before it.  Lock held. */
static bool to_write_locked(const struct model_forensic *f, uint64_t now, uint64_t *ret_repeats)
{
	switch (canister_record_fate(&mr.repeats, entry_key(f), f->contid, true, now,
				     ret_repeats)) {
	case CANISTER_RECORD_REPEATED:
		mr.counts.repeated++;
		return false;
	case CANISTER_RECORD_SUPPRESSED:
		mr.counts.suppressed++;
		return false;
	default:
		return true;
	}
}

void model_record(const struct model_forensic *f)
{
	uint64_t now = now_ns(), repeats;
	struct item *it;
	bool write;

	pthread_mutex_lock(&mr.lock);
	write = to_write_locked(f, now, &repeats);
	if (write)
		mr.counts.written++;
	pthread_mutex_unlock(&mr.lock);
	if (!write)
		return;
	it = calloc(1, sizeof(*it));
	if (it) {
		it->exe = f->exe ? strdup(f->exe) : NULL;
		it->target = f->target ? strdup(f->target) : NULL;
	}
	if (!it || (f->target && !it->target) || (f->exe && !it->exe)) {
		if (it)
			item_free(it);
		loop_queue_count_lost(&mr.queue);
		log_error("model: a CONTAINER_MODEL record (%s of container %" PRIu64
			  ") is lost: out of memory",
			  f->event, f->contid);
		return;
	}
	it->depth = identity_parents(f->contid, it->chain);
	if (!it->depth) {
		it->chain[0] = f->contid;
		it->depth = 1;
	}
	it->repeats = repeats;
	it->pid = f->pid;
	it->enforce = f->enforce;
	it->denied = f->denied;
	it->op = f->op;
	it->event = f->event;
	snprintf(it->coefficient, sizeof(it->coefficient), "%s", f->coefficient);
	loop_queue_push(&mr.queue, &it->link);
}

void model_record_counts(struct model_record_counts *ret)
{
	pthread_mutex_lock(&mr.lock);
	*ret = mr.counts;
	pthread_mutex_unlock(&mr.lock);
	ret->lost = loop_queue_lost(&mr.queue);
}
