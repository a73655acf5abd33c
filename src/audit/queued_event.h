/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: one event's lines, copied once and shared by the queues of every sink and plugin
 * that takes it. */
#ifndef CANISTERD_AUDIT_QUEUED_EVENT_H
#define CANISTERD_AUDIT_QUEUED_EVENT_H

#include "lib/queue.h"

#include <stddef.h>

struct audit_queued_event {
	struct canister_queue_item item; /* first: what the queues hold */
	size_t count;			 /* records */
	size_t len;			 /* bytes of text */
	char text[]; /* the records, each ending in '\n' (as event.h keeps them) */
};

/*
 * audit_queued_event_new() - a copy of an event's @count records, @len
 * bytes of lines, with one reference (the caller's); it counts its whole
 * size against a queue's byte bound.  Returns 0 or -ENOMEM.
 */
int audit_queued_event_new(const char *lines, size_t len, size_t count,
			   struct audit_queued_event **ret_event);

static inline struct audit_queued_event *audit_queued_event_of(struct canister_queue_item *item)
{
	return (struct audit_queued_event *)item;
}

static inline void audit_queued_event_put(struct audit_queued_event *event)
{
	canister_queue_item_put(&event->item);
}

#endif
