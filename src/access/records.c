// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access capability's decisions as CONTAINER_ACCESS records, bounded. */
#include "access/records.h"

#include "core/log.h"
#include "core/loop_queue.h"
#include "core/records.h"
#include "lib/audit_record.h"
#include "lib/rate_limit.h"
#include "lib/record_repeats.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Distinct decisions remembered (direct-mapped: a collision forgets the older one). */
#define ACCESS_RECORDS_SEEN 4096
#define ACCESS_RECORDS_PER_SECOND 50
#define ACCESS_RECORDS_BUCKETS 256
#define ENFORCE_REPEAT_NS 1000000000ULL
#define QUEUE_MAX 1024

struct item {
	struct loop_queue_item link;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;
	uint64_t by, repeats;
	pid_t pid;
	bool enforce;
	const char *op, *right, *cause;
	char *exe, *target;
};

static void deliver(struct loop_queue_item *link);
static void discard(struct loop_queue_item *link);

static struct {
	struct loop_queue queue;
	pthread_mutex_t lock; /* everything below */
	struct canister_record_seen seen[ACCESS_RECORDS_SEEN];
	struct canister_rate_bucket buckets[ACCESS_RECORDS_BUCKETS];
	struct canister_rate_limit limit;
	struct canister_record_repeats repeats;
	struct access_record_counts counts;
} ar = {
	.queue = LOOP_QUEUE_INIT(ar.queue, QUEUE_MAX, deliver, discard),
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.limit = { .buckets = ar.buckets,
		   .count = ACCESS_RECORDS_BUCKETS,
		   .per_second = ACCESS_RECORDS_PER_SECOND,
		   .burst = 2 * ACCESS_RECORDS_PER_SECOND },
	.repeats = { .seen = ar.seen,
		     .seen_count = ACCESS_RECORDS_SEEN,
		     .limit = &ar.limit,
		     .window_ns = ENFORCE_REPEAT_NS },
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
	struct canister_access_record rec = {
		.op = it->op,
		.chain = it->chain,
		.depth = it->depth,
		.by = it->by,
		.pid = it->pid,
		.exe = it->exe,
		.target = it->target,
		.right = it->right,
		.cause = it->cause,
		.mode = it->enforce ? "enforce" : "complain",
		.repeats = it->repeats,
		.res = !it->enforce,
	};
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	records_stamp(0, &when);
	records_write("CONTAINER_ACCESS",
		      canister_format_access_record(&when, &rec, buf, sizeof(buf)), buf,
		      it->chain[0]);
	item_free(it);
}

static void discard(struct loop_queue_item *link)
{
	struct item *it = (struct item *)link;

	log_error("access: a CONTAINER_ACCESS record (%s %s of container %" PRIu64
		  ") is lost: the queue is full",
		  it->op, it->target, it->chain[0]);
	item_free(it);
}

int access_records_open(struct canisterd *d, char *why, size_t why_len)
{
	return loop_queue_open(d, &ar.queue, why, why_len);
}

void access_records_close(struct canisterd *d)
{
	loop_queue_close(d, &ar.queue);
}

/* A collision only costs a record. */
static uint64_t mix_text(uint64_t h, const char *text)
{
	return text ? canister_record_key(h, text, strlen(text) + 1)
		    : canister_record_key(h, "", 1);
}

static uint64_t decision_key(const struct access_decision *d)
{
	uint64_t h =
		canister_record_key(CANISTER_RECORD_KEY_START, &d->chain[0], sizeof(d->chain[0]));

	h = canister_record_key(h, &d->enforce, sizeof(d->enforce));
	h = mix_text(h, d->op);
	h = mix_text(h, d->right);
	h = mix_text(h, d->target);
	h = mix_text(h, d->exe);
	return h ? h : 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Whether @d is written, and with how many repeats before it.  Lock held.
 * A complaint repeats while it is remembered; a denial within a second.
 */
static bool to_write_locked(const struct access_decision *d, uint64_t now, uint64_t *ret_repeats)
{
	switch (canister_record_fate(&ar.repeats, decision_key(d), d->chain[0], d->enforce, now,
				     ret_repeats)) {
	case CANISTER_RECORD_REPEATED:
		ar.counts.repeated++;
		return false;
	case CANISTER_RECORD_SUPPRESSED:
		ar.counts.suppressed++;
		return false;
	default:
		return true;
	}
}

void access_record(const struct access_decision *d)
{
	uint64_t now = now_ns(), repeats;
	struct item *it;
	bool write;

	if (!d->depth || d->depth > CANISTER_NEST_LIMIT_MAX)
		return;
	pthread_mutex_lock(&ar.lock);
	if (d->enforce)
		ar.counts.denied++;
	else
		ar.counts.complained++;
	write = to_write_locked(d, now, &repeats);
	if (write)
		ar.counts.written++;
	pthread_mutex_unlock(&ar.lock);
	if (!write)
		return;
	it = calloc(1, sizeof(*it));
	if (it) {
		it->exe = d->exe ? strdup(d->exe) : NULL;
		it->target = strdup(d->target ? d->target : "?");
	}
	if (!it || !it->target || (d->exe && !it->exe)) {
		if (it)
			item_free(it);
		loop_queue_count_lost(&ar.queue);
		log_error("access: a CONTAINER_ACCESS record (%s of container %" PRIu64
			  ") is lost: %s",
			  d->op, d->chain[0], strerror(ENOMEM));
		return;
	}
	memcpy(it->chain, d->chain, d->depth * sizeof(*d->chain));
	it->depth = d->depth;
	it->by = d->by;
	it->repeats = repeats;
	it->pid = d->pid;
	it->enforce = d->enforce;
	it->op = d->op;
	it->right = d->right;
	it->cause = d->cause;
	loop_queue_push(&ar.queue, &it->link);
}

void access_records_forget(uint64_t contid)
{
	pthread_mutex_lock(&ar.lock);
	canister_record_forget(&ar.repeats, contid);
	pthread_mutex_unlock(&ar.lock);
}

void access_record_counts(struct access_record_counts *ret)
{
	pthread_mutex_lock(&ar.lock);
	*ret = ar.counts;
	pthread_mutex_unlock(&ar.lock);
	ret->lost = loop_queue_lost(&ar.queue);
}

const char *access_record_exe(pid_t pid, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, buf, len - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}
