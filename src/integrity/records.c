// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the integrity capability's records (CONTAINER_INTEGRITY), handed to the main loop. */
#include "integrity/records.h"

#include "core/log.h"
#include "core/mainloop.h"
#include "core/records.h"
#include "lib/audit_record.h"

#include <canister/canister.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* A burst of first execs in many containers; past it records are counted lost. */
#define QUEUE_MAX 1024

struct pending {
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;
	pid_t pid;
	bool refused;
	const char *cause;   /* a violation's (a string literal), else NULL */
	char *file, *detail; /* detail: the hash, or the refusal's reason */
	struct pending *next;
};

static struct {
	pthread_mutex_t lock;
	struct loop_source source;
	int event_fd;
	struct pending *head, **tail;
	size_t queued;
	uint64_t lost;
} q = { .lock = PTHREAD_MUTEX_INITIALIZER, .event_fd = -1, .tail = &q.head };

static void write_one(const struct pending *p)
{
	struct canister_integrity_record rec = {
		.op = p->refused ? "reload"
		      : p->cause ? "invalid_pcr"
				 : "audit",
		.cause = p->cause,
		.chain = p->chain,
		.depth = p->depth,
		.pid = p->pid,
		.file = p->file,
		.hash = p->refused ? NULL : p->detail,
		.reason = p->refused ? p->detail : NULL,
		.res = !p->refused,
	};
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	records_stamp(0, &when);
	records_write("CONTAINER_INTEGRITY",
		      canister_format_integrity_record(&when, &rec, buf, sizeof(buf)), buf,
		      p->chain[0]);
}

static struct pending *take_all(void)
{
	struct pending *all;

	pthread_mutex_lock(&q.lock);
	all = q.head;
	q.head = NULL;
	q.tail = &q.head;
	q.queued = 0;
	pthread_mutex_unlock(&q.lock);
	return all;
}

static void drain(bool write)
{
	struct pending *p = take_all();

	while (p) {
		struct pending *next = p->next;

		if (write)
			write_one(p);
		free(p->file);
		free(p->detail);
		free(p);
		p = next;
	}
}

static void ready(struct canisterd *d, struct loop_source *source)
{
	uint64_t count;

	(void)d;
	if (read(source->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		log_warning("integrity: records: %s", strerror(errno));
	drain(true);
}

int integrity_records_open(struct canisterd *d, char *why, size_t why_len)
{
	int r;

	q.event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q.event_fd < 0) {
		snprintf(why, why_len, "integrity: eventfd: %s", strerror(errno));
		return -errno;
	}
	q.source.ready = ready;
	r = loop_add(d, q.event_fd, &q.source);
	if (r < 0) {
		snprintf(why, why_len, "integrity: records: %s", strerror(-r));
		close(q.event_fd);
		q.event_fd = -1;
		return r;
	}
	return 0;
}

void integrity_records_close(struct canisterd *d)
{
	if (q.event_fd < 0)
		return;
	/* The judges have stopped: what they queued is still written. */
	drain(true);
	loop_remove(d, q.event_fd);
	close(q.event_fd);
	q.event_fd = -1;
}

static void queue(struct pending *p)
{
	const uint64_t one = 1;
	bool full;

	pthread_mutex_lock(&q.lock);
	full = q.queued >= QUEUE_MAX || q.event_fd < 0;
	if (full) {
		q.lost++;
	} else {
		*q.tail = p;
		q.tail = &p->next;
		q.queued++;
	}
	pthread_mutex_unlock(&q.lock);
	if (full) {
		log_error(
			"integrity: a CONTAINER_INTEGRITY record for %s is lost: the queue is full",
			p->file);
		free(p->file);
		free(p->detail);
		free(p);
		return;
	}
	/* An eventfd write cannot block (the counter is far from its limit). */
	if (write(q.event_fd, &one, sizeof(one)) < 0)
		log_warning("integrity: records: %s", strerror(errno));
}

static struct pending *pending_new(const char *file, const char *detail)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->file = strdup(file);
	p->detail = detail ? strdup(detail) : NULL;
	if (!p->file || (detail && !p->detail)) {
		free(p->file);
		free(p->detail);
		free(p);
		return NULL;
	}
	return p;
}

static void record_of_opener(const uint64_t *chain, unsigned int depth, pid_t pid, const char *path,
			     const char *hash, const char *cause)
{
	struct pending *p = pending_new(path, hash);

	if (!p || depth == 0 || depth > CANISTER_NEST_LIMIT_MAX) {
		pthread_mutex_lock(&q.lock);
		q.lost++;
		pthread_mutex_unlock(&q.lock);
		log_error("integrity: a CONTAINER_INTEGRITY record for %s is lost: %s", path,
			  strerror(ENOMEM));
		if (p) {
			free(p->file);
			free(p->detail);
			free(p);
		}
		return;
	}
	memcpy(p->chain, chain, depth * sizeof(*chain));
	p->depth = depth;
	p->pid = pid;
	p->cause = cause;
	queue(p);
}

void integrity_record_audit(const uint64_t *chain, unsigned int depth, pid_t pid, const char *path,
			    const char *hash)
{
	record_of_opener(chain, depth, pid, path, hash, NULL);
}

void integrity_record_violation(const uint64_t *chain, unsigned int depth, pid_t pid,
				const char *path, const char *cause)
{
	record_of_opener(chain, depth, pid, path, NULL, cause);
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
	uint64_t lost;

	pthread_mutex_lock(&q.lock);
	lost = q.lost;
	pthread_mutex_unlock(&q.lock);
	return lost;
}
