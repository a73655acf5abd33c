// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: canister-audisp's bounded queue of auditd's lines and its loss notes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/relay_buffer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY (2 * RELAY_LINE_MAX)

static void take(struct relay_buffer *b, const char *text)
{
	relay_buffer_take(b, text, strlen(text));
}

/* Everything pending, as a string, and sent. */
static char *drain(struct relay_buffer *b)
{
	size_t len;
	const char *pending = relay_buffer_pending(b, &len);
	char *copy = calloc(1, len + 1);

	assert_non_null(copy);
	if (pending)
		memcpy(copy, pending, len);
	relay_buffer_sent(b, len);
	return copy;
}

static void expect_drain(struct relay_buffer *b, const char *expected)
{
	char *got = drain(b);

	assert_string_equal(got, expected);
	free(got);
}

static void test_whole_lines_only(void **state)
{
	struct relay_buffer b;

	assert_int_equal(relay_buffer_init(&b, CAPACITY), 0);
	take(&b, "type=A msg=1\ntype=B ");
	expect_drain(&b, "type=A msg=1\n");
	take(&b, "msg=2");
	expect_drain(&b, "");
	take(&b, "\ntype=C msg=3\n");
	expect_drain(&b, "type=B msg=2\ntype=C msg=3\n");
	assert_int_equal(b.lines_total, 3);
	assert_int_equal(b.lost_total, 0);
	relay_buffer_free(&b);
	assert_int_equal(relay_buffer_init(&b, CAPACITY - 1), -EINVAL);
}

/* A new queue made full with two lines of RELAY_LINE_MAX bytes (@line's room). */
static void fill_up(struct relay_buffer *b, char *line)
{
	assert_non_null(line);
	assert_int_equal(relay_buffer_init(b, CAPACITY), 0);
	memset(line, 'x', RELAY_LINE_MAX - 1);
	line[RELAY_LINE_MAX - 1] = '\n';
	relay_buffer_take(b, line, RELAY_LINE_MAX);
	relay_buffer_take(b, line, RELAY_LINE_MAX);
}

/* A full queue drops the new line, never an old one, and says so before the next it keeps. */
static void test_full_drops_newest_and_notes_it(void **state)
{
	struct relay_buffer b;
	char *line = malloc(RELAY_LINE_MAX);

	fill_up(&b, line);
	assert_int_equal(b.lost_total, 0);
	take(&b, "type=A msg=dropped\n");
	take(&b, "type=B msg=dropped\n");
	assert_int_equal(b.lost, 2);
	/* Half sent: room comes back at the front. */
	relay_buffer_sent(&b, RELAY_LINE_MAX);
	take(&b, "type=C msg=kept\n");
	relay_buffer_sent(&b, RELAY_LINE_MAX);
	expect_drain(&b, "canister-audisp lost=2\ntype=C msg=kept\n");
	assert_int_equal(b.lost, 0);
	assert_int_equal(b.lost_total, 2);
	assert_int_equal(b.lines_total, 3);
	free(line);
	relay_buffer_free(&b);
}

/* The loss is told once room comes back, even when no line follows. */
static void test_note_without_next_line(void **state)
{
	struct relay_buffer b;
	char *line = malloc(RELAY_LINE_MAX);

	fill_up(&b, line);
	take(&b, "type=A msg=dropped\n");
	/* Room for a short line, but the queue is not below three quarters yet: dropped too. */
	relay_buffer_sent(&b, 100);
	take(&b, "type=EOE msg=dropped\n");
	assert_int_equal(b.lost, 2);
	relay_buffer_sent(&b, 2 * RELAY_LINE_MAX);
	expect_drain(&b, "canister-audisp lost=2\n");
	free(line);
	relay_buffer_free(&b);
}

/* A line longer than RELAY_LINE_MAX is dropped up to its newline, whatever the reads. */
static void test_overlong_line(void **state)
{
	struct relay_buffer b;
	char *chunk = malloc(RELAY_LINE_MAX);

	assert_non_null(chunk);
	memset(chunk, 'y', RELAY_LINE_MAX);
	assert_int_equal(relay_buffer_init(&b, CAPACITY), 0);
	take(&b, "type=A ");
	relay_buffer_take(&b, chunk, RELAY_LINE_MAX);
	relay_buffer_take(&b, chunk, RELAY_LINE_MAX);
	take(&b, "yyy\ntype=B msg=2\n");
	expect_drain(&b, "canister-audisp lost=1\ntype=B msg=2\n");
	free(chunk);
	relay_buffer_free(&b);
}

/* After a reconnection the new reader never starts in the middle of a line. */
static void test_reconnect_drops_partly_sent_line(void **state)
{
	struct relay_buffer b;

	assert_int_equal(relay_buffer_init(&b, CAPACITY), 0);
	take(&b, "type=A msg=1\ntype=B msg=2\n");
	relay_buffer_sent(&b, 5);
	relay_buffer_reconnected(&b);
	/* The note about it is queued at once, there is room. */
	expect_drain(&b, "type=B msg=2\ncanister-audisp lost=1\n");
	assert_int_equal(b.lost_total, 1);
	take(&b, "type=C msg=3\n");
	expect_drain(&b, "type=C msg=3\n");
	/* On a line boundary nothing is lost. */
	take(&b, "type=D msg=4\ntype=E msg=5\n");
	relay_buffer_sent(&b, strlen("type=D msg=4\n"));
	relay_buffer_reconnected(&b);
	expect_drain(&b, "type=E msg=5\n");
	assert_int_equal(b.lost_total, 1);
	relay_buffer_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_lines_only),
		cmocka_unit_test(test_full_drops_newest_and_notes_it),
		cmocka_unit_test(test_note_without_next_line),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_reconnect_drops_partly_sent_line),
	};

	return cmocka_run_group_tests_name("relay_buffer", tests, NULL, NULL);
}
