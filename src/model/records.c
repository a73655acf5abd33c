// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a sealed model's forensics as CONTAINER_MODEL records, bounded per container. */
#include "model/records.h"

#include "core/log.h"
#include "core/record_queue.h"
#include "core/records.h"
#include "identity/identity.h"
#include "lib/audit_record.h"

#include <canister/canister.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Every entry is windowed: the same one a second later is written again. */
static struct record_queue mr = RECORD_QUEUE_INIT(mr, deliver, discard);

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
	return record_queue_open(d, &mr, why, why_len);
}

void model_records_close(struct canisterd *d)
{
	record_queue_close(d, &mr);
}

/*
 * The container, the process and the coefficient: a collision only costs a
 * record.  An event without one ("none": a 32-bit call not decoded, an
 * exec the gate never saw) is told by its target and executable too: a
 * process's socketcall connect is not a repeat of its socket, nor the
 * socket of the next program it executes.
 */
static uint64_t entry_key(const struct model_forensic *f)
{
	uint64_t h = canister_record_key(CANISTER_RECORD_KEY_START, &f->contid, sizeof(f->contid));
	bool none = strcmp(f->coefficient, "none") == 0;

	h = canister_record_key(h, &f->pid, sizeof(f->pid));
	h = canister_record_key(h, f->coefficient, strlen(f->coefficient));
	if (none && f->target)
		h = canister_record_key(h, f->target, strlen(f->target));
	if (none && f->exe)
		h = canister_record_key(h, f->exe, strlen(f->exe));
	return h ? h : 1;
}

void model_record(const struct model_forensic *f)
{
	uint64_t repeats;
	struct item *it;

	if (!record_queue_admit(&mr, entry_key(f), f->contid, true, &repeats))
		return;
	it = calloc(1, sizeof(*it));
	if (it) {
		it->exe = f->exe ? strdup(f->exe) : NULL;
		it->target = f->target ? strdup(f->target) : NULL;
	}
	if (!it || (f->target && !it->target) || (f->exe && !it->exe)) {
		if (it)
			item_free(it);
		record_queue_count_lost(&mr);
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
	record_queue_push(&mr, &it->link);
}

void model_record_counts(struct model_record_counts *ret)
{
	struct record_queue_counts counts;

	record_queue_counts(&mr, &counts);
	ret->written = counts.written;
	ret->repeated = counts.repeated;
	ret->suppressed = counts.suppressed;
	ret->lost = counts.lost;
}
