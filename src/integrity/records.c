// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the integrity capability's records (CONTAINER_INTEGRITY), handed to the main loop. */
#include "integrity/records.h"

#include "core/log.h"
#include "core/loop_queue.h"
#include "core/records.h"
#include "lib/audit_record.h"
#include "lib/rate_limit.h"

#include <canister/canister.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A burst of first execs in many containers; past it records are counted lost. */
#define QUEUE_MAX 1024
/*
 * Refusals (appraisal, backstop) and violations a container can cause at
 * will, in a loop: past this many a second (bursts of twice that) they are
 * counted, not written, so that one container cannot flood canister's log
 * and drown the others' records.  IMA-audit and reload records are bounded
 * by the files and lists themselves and are never limited.
 */
#define LIMITED_PER_SECOND 50
#define LIMIT_BUCKETS 256

struct pending {
	struct loop_queue_item link;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;
	pid_t pid;
	bool refused;
	const char *op;	     /* an appraisal's (a string literal), else NULL */
	const char *mode;    /* an appraisal's (a string literal), else NULL */
	const char *cause;   /* a violation's or an appraisal's (a string literal), else NULL */
	char *file, *detail; /* detail: the hash, or the refusal's reason */
};

static void deliver(struct loop_queue_item *link);
static void discard(struct loop_queue_item *link);

static struct {
	struct loop_queue queue;
	pthread_mutex_t lock; /* @limit, @suppressed */
	struct canister_rate_bucket buckets[LIMIT_BUCKETS];
	struct canister_rate_limit limit;
	uint64_t suppressed;
} q = {
	.queue = LOOP_QUEUE_INIT(q.queue, QUEUE_MAX, deliver, discard),
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.limit = { .buckets = q.buckets,
		   .count = LIMIT_BUCKETS,
		   .per_second = LIMITED_PER_SECOND,
		   .burst = 2 * LIMITED_PER_SECOND },
};

static void pending_free(struct pending *p)
{
	free(p->file);
	free(p->detail);
	free(p);
}

static void write_one(const struct pending *p)
{
	struct canister_integrity_record rec = {
		.op = p->refused ? "reload"
		      : p->op	 ? p->op
		      : p->cause ? "invalid_pcr"
				 : "audit",
		.cause = p->cause,
		.mode = p->mode,
		.chain = p->chain,
		.depth = p->depth,
		.pid = p->pid,
		.file = p->file,
		.hash = p->refused || p->op ? NULL : p->detail,
		.reason = p->refused || p->op ? p->detail : NULL,
		.res = !p->refused && !p->op,
	};
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	records_stamp(0, &when);
	records_write("CONTAINER_INTEGRITY",
		      canister_format_integrity_record(&when, &rec, buf, sizeof(buf)), buf,
		      p->chain[0]);
}

static void deliver(struct loop_queue_item *link)
{
	struct pending *p = (struct pending *)link;

	write_one(p);
	pending_free(p);
}

static void discard(struct loop_queue_item *link)
{
	struct pending *p = (struct pending *)link;

	log_error("integrity: a CONTAINER_INTEGRITY record for %s is lost: the queue is full",
		  p->file);
	pending_free(p);
}

int integrity_records_open(struct canisterd *d, char *why, size_t why_len)
{
	return loop_queue_open(d, &q.queue, why, why_len);
}

void integrity_records_close(struct canisterd *d)
{
	/* The judges have stopped: what they queued is still written. */
	loop_queue_close(d, &q.queue);
}

/* Whether @contid may have one more limited record now. */
static bool within_limit(uint64_t contid)
{
	struct timespec now;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&q.lock);
	ok = canister_rate_take(&q.limit, contid,
				(uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec);
	q.suppressed += !ok;
	pthread_mutex_unlock(&q.lock);
	return ok;
}

static void queue(struct pending *p)
{
	loop_queue_push(&q.queue, &p->link);
}

static struct pending *pending_new(const char *file, const char *detail)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->file = strdup(file);
	p->detail = detail ? strdup(detail) : NULL;
	if (!p->file || (detail && !p->detail)) {
		pending_free(p);
		return NULL;
	}
	return p;
}

static struct pending *record_of_opener(const uint64_t *chain, unsigned int depth, pid_t pid,
					const char *path, const char *hash, const char *cause)
{
	struct pending *p = pending_new(path, hash);

	if (!p || depth == 0 || depth > CANISTER_NEST_LIMIT_MAX) {
		loop_queue_count_lost(&q.queue);
		log_error("integrity: a CONTAINER_INTEGRITY record for %s is lost: %s", path,
			  strerror(ENOMEM));
		if (p)
			pending_free(p);
		return NULL;
	}
	memcpy(p->chain, chain, depth * sizeof(*chain));
	p->depth = depth;
	p->pid = pid;
	p->cause = cause;
	return p;
}

void integrity_record_audit(const uint64_t *chain, unsigned int depth, pid_t pid, const char *path,
			    const char *hash)
{
	struct pending *p = record_of_opener(chain, depth, pid, path, hash, NULL);

	if (p)
		queue(p);
}

void integrity_record_violation(const uint64_t *chain, unsigned int depth, pid_t pid,
				const char *path, const char *cause)
{
	struct pending *p;

	if (!depth || !within_limit(chain[0]))
		return;
	p = record_of_opener(chain, depth, pid, path, NULL, cause);
	if (p)
		queue(p);
}

void integrity_record_appraisal(const uint64_t *chain, unsigned int depth, pid_t pid,
				const char *path, const char *op, const char *cause,
				const char *reason, const char *mode)
{
	struct pending *p;

	if (!depth || !within_limit(chain[0]))
		return;
	p = record_of_opener(chain, depth, pid, path, reason, cause);
	if (!p)
		return;
	p->op = op;
	p->mode = mode;
	queue(p);
}

void integrity_record_refused(uint64_t contid, const char *path, const char *reason)
{
	struct pending *p = pending_new(path, reason);

	if (!p) {
		log_error("integrity: the CONTAINER_INTEGRITY record of a refused list is lost: %s",
			  strerror(ENOMEM));
		return;
	}
	p->chain[0] = contid;
	p->depth = 1;
	p->refused = true;
	queue(p);
}

uint64_t integrity_records_lost(void)
{
	return loop_queue_lost(&q.queue);
}

uint64_t integrity_records_suppressed(void)
{
	uint64_t suppressed;

	pthread_mutex_lock(&q.lock);
	suppressed = q.suppressed;
	pthread_mutex_unlock(&q.lock);
	return suppressed;
}
