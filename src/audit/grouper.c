// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the kernel's audit records grouped into events, as the kernel groups them. */
#include "audit/grouper.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_MAX 255
/* Events kept for reuse once handed over, so that a steady stream allocates nothing. */
#define SPARE_MAX 64

struct audit_grouper {
	audit_grouper_event_fn fn;
	void *ctx;
	char prefix[PREFIX_MAX + 1];
	size_t prefix_len;
	/* Building, oldest first; the newest is the likeliest to get the next record. */
	struct audit_event **pending;
	size_t pending_count, pending_capacity;
	struct audit_event *spare[SPARE_MAX];
	size_t spare_count;
	/*
	 * The latest record's stamp, in ms, not the highest ever seen: after the
	 * clock steps back, stamps from before the step must not age every event
	 * (libauparse ages by the latest record's time too).
	 */
	int64_t latest_ms;
	struct audit_grouper_stats stats;
};

static int64_t stamp_ms(const struct canister_record_stamp *stamp)
{
	return stamp->sec * 1000 + (int64_t)stamp->msec;
}

static bool same_stamp(const struct canister_record_stamp *a, const struct canister_record_stamp *b)
{
	return a->serial == b->serial && a->sec == b->sec && a->msec == b->msec;
}

/*
 * Records the kernel writes with a stamp of their own, outside any system
 * call, so that nothing follows them: user messages (a process's netlink
 * message is logged without its context), the kernel's own KERNEL record.
 * LOGIN is written inside the syscall that sets the loginuid and is followed
 * by that syscall's records.
 */
static bool alone(int type)
{
	if (type == AUDIT_LOGIN)
		return false;
	return (type >= AUDIT_USER && type < AUDIT_FIRST_EVENT) || type == AUDIT_KERNEL ||
	       type >= AUDIT_FIRST_USER_MSG2;
}

int audit_grouper_new(audit_grouper_event_fn fn, void *ctx, const char *prefix,
		      struct audit_grouper **ret)
{
	struct audit_grouper *g;
	size_t prefix_len = prefix ? strlen(prefix) : 0;

	if (!fn || !ret || prefix_len > PREFIX_MAX)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->fn = fn;
	g->ctx = ctx;
	memcpy(g->prefix, prefix ? prefix : "", prefix_len);
	g->prefix_len = prefix_len;
	*ret = g;
	return 0;
}

static void release(struct audit_grouper *g, struct audit_event *event)
{
	/* A huge event's buffers are not kept: an exec with 2 MB of arguments must not pin them. */
	if (g->spare_count < SPARE_MAX && event->capacity <= 64 * 1024 &&
	    event->records_capacity <= 256) {
		g->spare[g->spare_count++] = event;
		return;
	}
	audit_event_free(event);
	free(event);
}

void audit_grouper_free(struct audit_grouper *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->pending_count; i++) {
		audit_event_free(g->pending[i]);
		free(g->pending[i]);
	}
	for (size_t i = 0; i < g->spare_count; i++) {
		audit_event_free(g->spare[i]);
		free(g->spare[i]);
	}
	free(g->pending);
	free(g);
}

static void remove_pending(struct audit_grouper *g, size_t i)
{
	memmove(&g->pending[i], &g->pending[i + 1],
		(g->pending_count - i - 1) * sizeof(g->pending[0]));
	g->pending_count--;
}

static void hand_over(struct audit_grouper *g, size_t i)
{
	struct audit_event *event = g->pending[i];

	remove_pending(g, i);
	event->kernel_count = event->count;
	g->stats.events++;
	g->fn(event, g->ctx);
	release(g, event);
}

static struct audit_event *find(const struct audit_grouper *g,
				const struct canister_record_stamp *stamp, size_t *ret_index)
{
	for (size_t i = g->pending_count; i-- > 0;)
		if (same_stamp(&g->pending[i]->stamp, stamp)) {
			*ret_index = i;
			return g->pending[i];
		}
	return NULL;
}

static struct audit_event *start(struct audit_grouper *g, const struct canister_record_stamp *stamp,
				 size_t *ret_index)
{
	struct audit_event *event;

	if (g->pending_count == AUDIT_GROUPER_PENDING_MAX) {
		g->stats.forced++;
		hand_over(g, 0);
	}
	if (g->pending_count == g->pending_capacity) {
		size_t capacity = g->pending_capacity ? 2 * g->pending_capacity : 16;
		struct audit_event **bigger = realloc(g->pending, capacity * sizeof(*bigger));

		if (!bigger)
			return NULL;
		g->pending = bigger;
		g->pending_capacity = capacity;
	}
	if (g->spare_count) {
		event = g->spare[--g->spare_count];
	} else {
		event = calloc(1, sizeof(*event));
		if (!event)
			return NULL;
	}
	audit_event_reset(event, stamp);
	*ret_index = g->pending_count;
	g->pending[g->pending_count++] = event;
	return event;
}

int audit_grouper_feed(struct audit_grouper *g, int type, const char *text, size_t len)
{
	struct canister_record_stamp stamp;
	struct audit_event *event;
	const char *name;
	char unknown[32];
	size_t i;
	int r;

	if (!g || type < 1 || type > 0xffff || !text)
		return -EINVAL;
	len = strnlen(text, len);
	if (!canister_audit_parse_stamp(text, len, &stamp)) {
		g->stats.refused++;
		return -EINVAL;
	}
	g->latest_ms = stamp_ms(&stamp);

	event = find(g, &stamp, &i);
	/* The kernel says there is no more: EOE ends the event and is not written. */
	if (type == AUDIT_EOE) {
		if (event)
			hand_over(g, i);
		return 0;
	}
	if (!event) {
		event = start(g, &stamp, &i);
		if (!event) {
			g->stats.no_memory++;
			return -ENOMEM;
		}
	}
	name = audit_msg_type_to_name(type);
	if (!name || strlen(name) >= sizeof(unknown)) {
		snprintf(unknown, sizeof(unknown), "UNKNOWN[%d]", type);
		name = unknown;
	}
	r = audit_event_add_line(event, g->prefix, g->prefix_len, type, name, text, len);
	if (r < 0) {
		g->stats.no_memory++;
		if (event->count == 0) {
			remove_pending(g, i);
			release(g, event);
		}
		return -ENOMEM;
	}
	g->stats.records++;
	if (type == AUDIT_SYSCALL || type == AUDIT_URINGOP)
		event->eoe_due = true;
	if (alone(type))
		hand_over(g, i);
	return 0;
}

/*
 * Whether @event has waited long enough at @now_ms (wall clock of a quiet
 * stream, or 0) with @latest_ms the stream's time.  An event whose EOE is
 * coming is not ended by the stream's time at 2 s: its writer may be waiting
 * for room in the kernel's backlog while later calls' events get through.
 */
static bool old_enough(const struct audit_event *event, int64_t now_ms, int64_t latest_ms)
{
	int64_t stamp = stamp_ms(&event->stamp);

	if (stamp + AUDIT_GROUPER_TIMEOUT_MS < now_ms)
		return true;
	return stamp + (event->eoe_due ? AUDIT_GROUPER_EOE_TIMEOUT_MS : AUDIT_GROUPER_TIMEOUT_MS) <
	       latest_ms;
}

void audit_grouper_age(struct audit_grouper *g, int64_t now_ms)
{
	if (!g)
		return;
	/*
	 * Oldest first: pending events are kept in order of their first record,
	 * which is nearly the order of their stamps; an out-of-order one stays
	 * at most until the next call.
	 */
	for (size_t i = 0; i < g->pending_count;) {
		if (old_enough(g->pending[i], now_ms, g->latest_ms)) {
			g->stats.aged++;
			hand_over(g, i);
		} else {
			i++;
		}
	}
}

bool audit_stream_quiet(int64_t now_ms, int64_t last_input_ms, bool input_waiting)
{
	return !input_waiting && now_ms - last_input_ms >= AUDIT_GROUPER_TIMEOUT_MS;
}

void audit_grouper_flush(struct audit_grouper *g)
{
	if (!g)
		return;
	while (g->pending_count) {
		g->stats.aged++;
		hand_over(g, 0);
	}
}

size_t audit_grouper_pending(const struct audit_grouper *g)
{
	return g ? g->pending_count : 0;
}

void audit_grouper_stats(const struct audit_grouper *g, struct audit_grouper_stats *ret)
{
	*ret = g->stats;
}
