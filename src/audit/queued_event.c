// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: one event's lines, copied once and shared by the queues of every sink and plugin
 * that takes it. */
#include "audit/queued_event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void release(struct canister_queue_item *item)
{
	free(item);
}

int audit_queued_event_new(const char *lines, size_t len, size_t count,
			   struct audit_queued_event **ret_event)
{
	struct audit_queued_event *copy = malloc(sizeof(*copy) + len);

	if (!copy)
		return -ENOMEM;
	canister_queue_item_init(&copy->item, sizeof(*copy) + len, release);
	copy->count = count;
	copy->len = len;
	memcpy(copy->text, lines, len);
	*ret_event = copy;
	return 0;
}
