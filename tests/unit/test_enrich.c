// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the CONTAINER_ID records canisterd appends to a kernel audit event. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/enrich.h"
#include "audit/grouper.h"

#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* kill(8775) by pid 8731: SYSCALL names the actor, OBJ_PID the target, PROCTITLE nobody. */
static const struct {
	int type;
	const char *text;
} kill_event[] = {
	{ AUDIT_SYSCALL, "audit(1700000001.500:77): arch=c000003e syscall=62 success=yes exit=0 "
			 "a0=2247 a1=9 items=0 ppid=8700 pid=8731 auid=1000 uid=0 comm=\"kill\" "
			 "key=\"kill\"" },
	{ AUDIT_OBJ_PID, "audit(1700000001.500:77): opid=8775 oauid=1000 ouid=0 oses=3 "
			 "ocomm=\"sleep\"" },
	{ AUDIT_PROCTITLE, "audit(1700000001.500:77): proctitle=6B696C6C" },
	{ AUDIT_EOE, "audit(1700000001.500:77): " },
};

/* What canisterd does in the grouper's callback: place, enrich, write; here places are given. */
struct enricher {
	const char *prefix;
	struct audit_place places[8];
	int added;
	size_t events;
	char *lines; /* the event's lines after enrichment */
	size_t kernel_count, count;
};

static void on_event(struct audit_event *event, void *ctx)
{
	struct enricher *e = ctx;

	/* Nothing of an earlier event's CONTAINER_ID records is left in a reused one. */
	assert_int_equal(event->count, event->kernel_count);
	assert_true(event->count <= ARRAY_SIZE(e->places));
	e->added = audit_enrich(event, e->places, e->prefix, strlen(e->prefix));
	e->events++;
	free(e->lines);
	e->lines = strndup(event->bytes, event->len);
	assert_non_null(e->lines);
	e->kernel_count = event->kernel_count;
	e->count = event->count;
	/* Each record added is described as the kernel's are. */
	for (size_t i = event->kernel_count; i < event->count; i++) {
		const struct audit_record *r = &event->records[i];

		assert_int_equal(r->line,
				 event->records[i - 1].line + event->records[i - 1].line_len);
		assert_int_equal(r->text, r->line + strlen(e->prefix));
		assert_memory_equal(event->bytes + r->fields, "record=", 7);
		assert_int_equal(r->pid, 0);
		assert_false(r->target);
	}
}

static void feed_kill(struct audit_grouper *g)
{
	for (size_t i = 0; i < ARRAY_SIZE(kill_event); i++)
		assert_int_equal(audit_grouper_feed(g, kill_event[i].type, kill_event[i].text,
						    strlen(kill_event[i].text)),
				 0);
}

static const char kill_lines[] =
	"type=SYSCALL msg=audit(1700000001.500:77): arch=c000003e syscall=62 success=yes exit=0 "
	"a0=2247 a1=9 items=0 ppid=8700 pid=8731 auid=1000 uid=0 comm=\"kill\" key=\"kill\"\n"
	"type=OBJ_PID msg=audit(1700000001.500:77): opid=8775 oauid=1000 ouid=0 oses=3 "
	"ocomm=\"sleep\"\n"
	"type=PROCTITLE msg=audit(1700000001.500:77): proctitle=6B696C6C\n";

static void test_a_record_per_placed_record_after_the_kernels(void **unused)
{
	struct enricher e = { .prefix = "" };
	struct audit_grouper *g;

	/* The actor in 4 nested in 2; its target in 7; PROCTITLE names nobody. */
	e.places[0] = (struct audit_place){ .depth = 2, .chain = { 4, 2 } };
	e.places[1] = (struct audit_place){ .depth = 1, .chain = { 7 } };
	assert_int_equal(audit_grouper_new(on_event, &e, NULL, &g), 0);
	feed_kill(g);
	assert_int_equal(e.events, 1);
	assert_int_equal(e.added, 2);
	assert_int_equal(e.kernel_count, 3);
	assert_int_equal(e.count, 5);
	assert_string_equal(e.lines, "type=SYSCALL msg=audit(1700000001.500:77): arch=c000003e "
				     "syscall=62 success=yes exit=0 a0=2247 a1=9 items=0 ppid=8700 "
				     "pid=8731 auid=1000 uid=0 comm=\"kill\" key=\"kill\"\n"
				     "type=OBJ_PID msg=audit(1700000001.500:77): opid=8775 "
				     "oauid=1000 ouid=0 oses=3 ocomm=\"sleep\"\n"
				     "type=PROCTITLE msg=audit(1700000001.500:77): "
				     "proctitle=6B696C6C\n"
				     "type=CONTAINER_ID msg=audit(1700000001.500:77): record=1 "
				     "contid=4,^2\n"
				     "type=CONTAINER_ID msg=audit(1700000001.500:77): record=2 "
				     "contid=7\n");

	/* The event's buffers serve the next one, which starts with the kernel's records alone. */
	e.places[0] = (struct audit_place){ .depth = 0 };
	e.places[1] = (struct audit_place){ .depth = 0 };
	e.places[2] = (struct audit_place){ .depth = 3, .chain = { 9, 8, 1 } };
	feed_kill(g);
	assert_int_equal(e.events, 2);
	assert_int_equal(e.added, 1);
	assert_int_equal(e.count, 4);
	assert_memory_equal(e.lines, kill_lines, strlen(kill_lines));
	assert_string_equal(e.lines + strlen(kill_lines),
			    "type=CONTAINER_ID msg=audit(1700000001.500:77): record=3 "
			    "contid=9,^8,^1\n");
	audit_grouper_free(g);
	free(e.lines);
}

static void test_none_for_unplaced_records(void **unused)
{
	struct enricher e = { .prefix = "" };
	struct audit_grouper *g;

	assert_int_equal(audit_grouper_new(on_event, &e, NULL, &g), 0);
	feed_kill(g);
	assert_int_equal(e.added, 0);
	assert_int_equal(e.count, 3);
	assert_string_equal(e.lines, kill_lines);
	audit_grouper_free(g);
	free(e.lines);
}

static void test_node_prefix_on_container_id_lines(void **unused)
{
	struct enricher e = { .prefix = "node=web-1 " };
	struct audit_grouper *g;
	const char *added;

	e.places[1] = (struct audit_place){ .depth = 2, .chain = { 4, 2 } };
	assert_int_equal(audit_grouper_new(on_event, &e, "node=web-1 ", &g), 0);
	feed_kill(g);
	assert_int_equal(e.added, 1);
	assert_int_equal(e.count, 4);
	/* Every line has the prefix, the kernel's and canister's alike. */
	assert_memory_equal(e.lines, "node=web-1 type=SYSCALL msg=", 28);
	added = strstr(e.lines, "proctitle=6B696C6C\n");
	assert_non_null(added);
	assert_string_equal(added + strlen("proctitle=6B696C6C\n"),
			    "node=web-1 type=CONTAINER_ID msg=audit(1700000001.500:77): record=2 "
			    "contid=4,^2\n");
	audit_grouper_free(g);
	free(e.lines);
}

/* The event's stamp as the kernel wrote it, milliseconds padded, serial of any size. */
static void test_the_events_own_stamp(void **unused)
{
	struct canister_record_stamp stamp = { .sec = 1700000000, .msec = 5, .serial = UINT64_MAX };
	struct audit_place places[2] = { { .depth = 0 }, { .depth = CANISTER_NEST_LIMIT_MAX } };
	const char body[] = "audit(1700000000.005:18446744073709551615): pid=5 uid=0";
	struct audit_event event = { 0 };
	char expected[1024];
	const struct audit_record *r;

	/* As deep as nesting goes, the innermost the largest contid there is. */
	places[1].chain[0] = UINT64_MAX - 1;
	for (unsigned int i = 1; i < CANISTER_NEST_LIMIT_MAX; i++)
		places[1].chain[i] = CANISTER_NEST_LIMIT_MAX - i;
	audit_event_reset(&event, &stamp);
	assert_int_equal(
		audit_event_add_line(&event, "", 0, AUDIT_USER_AVC, "USER_AVC", body, strlen(body)),
		0);
	assert_int_equal(
		audit_event_add_line(&event, "", 0, AUDIT_USER_AVC, "USER_AVC", body, strlen(body)),
		0);
	event.kernel_count = event.count;
	assert_int_equal(audit_enrich(&event, places, "", 0), 1);
	assert_int_equal(event.count, 3);
	r = &event.records[2];
	snprintf(expected, sizeof(expected),
		 "type=CONTAINER_ID msg=audit(1700000000.005:18446744073709551615): record=2 "
		 "contid=%llu,^19,^18,^17,^16,^15,^14,^13,^12,^11,^10,^9,^8,^7,^6,^5,^4,^3,^2,^1\n",
		 (unsigned long long)(UINT64_MAX - 1));
	assert_int_equal(r->line_len, strlen(expected));
	assert_memory_equal(event.bytes + r->line, expected, r->line_len);
	assert_int_equal(event.len, r->line + r->line_len);
	audit_event_free(&event);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_record_per_placed_record_after_the_kernels),
		cmocka_unit_test(test_none_for_unplaced_records),
		cmocka_unit_test(test_node_prefix_on_container_id_lines),
		cmocka_unit_test(test_the_events_own_stamp),
	};

	return cmocka_run_group_tests_name("enrich", tests, NULL, NULL);
}
