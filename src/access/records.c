// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access capability's decisions as CONTAINER_ACCESS records, bounded. */
#include "access/records.h"

#include "core/log.h"
#include "core/record_queue.h"
#include "core/records.h"
#include "lib/audit_record.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static struct record_queue ar = RECORD_QUEUE_INIT(ar, deliver, discard);
/* Decisions in enforce and in complain, recorded or not. */
static uint64_t denied, complained;

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
	return record_queue_open(d, &ar, why, why_len);
}

void access_records_close(struct canisterd *d)
{
	record_queue_close(d, &ar);
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

void access_record(const struct access_decision *d)
{
	uint64_t repeats;
	struct item *it;

	if (!d->depth || d->depth > CANISTER_NEST_LIMIT_MAX)
		return;
	__atomic_fetch_add(d->enforce ? &denied : &complained, 1, __ATOMIC_RELAXED);
	/* A complaint repeats while it is remembered; a denial within a second. */
	if (!record_queue_admit(&ar, decision_key(d), d->chain[0], d->enforce, &repeats))
		return;
	it = calloc(1, sizeof(*it));
	if (it) {
		it->exe = d->exe ? strdup(d->exe) : NULL;
		it->target = strdup(d->target ? d->target : "?");
	}
	if (!it || !it->target || (d->exe && !it->exe)) {
		if (it)
			item_free(it);
		record_queue_count_lost(&ar);
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
	record_queue_push(&ar, &it->link);
}

void access_records_forget(uint64_t contid)
{
	record_queue_forget(&ar, contid);
}

void access_record_counts(struct access_record_counts *ret)
{
	struct record_queue_counts counts;

	record_queue_counts(&ar, &counts);
	ret->denied = __atomic_load_n(&denied, __ATOMIC_RELAXED);
	ret->complained = __atomic_load_n(&complained, __ATOMIC_RELAXED);
	ret->written = counts.written;
	ret->repeated = counts.repeated;
	ret->suppressed = counts.suppressed;
	ret->lost = counts.lost;
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
