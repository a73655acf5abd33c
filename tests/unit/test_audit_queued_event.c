// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: one event copied once for the sinks' and plugins' queues. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/queued_event.h"

#include <errno.h>
#include <string.h>

static const char lines[] = "type=SYSCALL msg=audit(1.2:3): arch=c000003e\n"
			    "type=CONTAINER_ID msg=audit(1.2:3): record=1 contid=4\n";

static void test_a_copy_of_the_lines(void **state)
{
	char source[sizeof(lines)];
	struct audit_queued_event *event = NULL;

	memcpy(source, lines, sizeof(lines));
	assert_int_equal(audit_queued_event_new(source, sizeof(lines) - 1, 2, &event), 0);
	/* A copy: the caller's buffer is reused for the next event at once. */
	memset(source, 'x', sizeof(source));
	assert_int_equal(event->count, 2);
	assert_int_equal(event->len, sizeof(lines) - 1);
	assert_memory_equal(event->text, lines, event->len);
	/* Its whole size counts against a queue's byte bound, not only its text. */
	assert_int_equal(event->item.bytes, sizeof(*event) + event->len);
	audit_queued_event_put(event);
}

/* Shared: each queue holds a reference; the copy lives until the last is let go. */
static void test_shared_by_queues(void **state)
{
	struct audit_queued_event *event = NULL;
	struct canister_queue *a = NULL, *b = NULL;
	struct canister_queue_item *item;

	assert_int_equal(canister_queue_new(4, 1 << 20, &a), 0);
	assert_int_equal(canister_queue_new(4, 1 << 20, &b), 0);
	assert_int_equal(audit_queued_event_new(lines, sizeof(lines) - 1, 2, &event), 0);
	assert_int_equal(canister_queue_push(a, &event->item), 0);
	assert_int_equal(canister_queue_push(b, &event->item), 0);
	audit_queued_event_put(event);
	assert_int_equal(canister_queue_pop(a, &item), 0);
	assert_ptr_equal(audit_queued_event_of(item), event);
	canister_queue_item_put(item);
	/* Still b's: readable (ASan would say otherwise). */
	assert_int_equal(canister_queue_pop(b, &item), 0);
	assert_memory_equal(audit_queued_event_of(item)->text, lines, sizeof(lines) - 1);
	canister_queue_item_put(item);
	canister_queue_free(a);
	canister_queue_free(b);
}

/* A queue's byte bound sees the copy's size: one that does not fit is refused. */
static void test_counted_against_the_byte_bound(void **state)
{
	struct audit_queued_event *event = NULL;
	struct canister_queue *q = NULL;

	assert_int_equal(audit_queued_event_new(lines, sizeof(lines) - 1, 2, &event), 0);
	assert_int_equal(canister_queue_new(4, event->item.bytes - 1, &q), 0);
	assert_int_equal(canister_queue_push(q, &event->item), -ENOSPC);
	canister_queue_free(q);
	assert_int_equal(canister_queue_new(4, event->item.bytes, &q), 0);
	assert_int_equal(canister_queue_push(q, &event->item), 0);
	canister_queue_free(q);
	audit_queued_event_put(event);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_copy_of_the_lines),
		cmocka_unit_test(test_shared_by_queues),
		cmocka_unit_test(test_counted_against_the_byte_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
