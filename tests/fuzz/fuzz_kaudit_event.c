// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_kaudit_feed() on arbitrary messages, with its invariants. */
#include "audit/grouper.h"

#include <errno.h>
#include <libaudit.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The input is a list of messages separated by 0x1e: "TYPE TEXT" with TYPE
 * in decimal and TEXT any bytes (NULs and newlines included), or "age", or
 * "flush".  Every accepted message's line must be handed over exactly once,
 * whole, in an event of its own stamp, after the records fed before it.
 */
#define SEPARATOR 0x1e

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct expected {
	char *line;
	bool handed;
};

struct state {
	struct expected *lines;
	size_t count, capacity;
};

static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "invariant broken: %s (%s)\n", what, detail ? detail : "");
	abort();
}

/* auditd's line for a message, written out independently of the library. */
static char *auditd_line(int type, const char *text, size_t len)
{
	const char *name = audit_msg_type_to_name(type);
	size_t text_len = strnlen(text, len), used;
	char unknown[32], *line;

	if (!name) {
		snprintf(unknown, sizeof(unknown), "UNKNOWN[%d]", type);
		name = unknown;
	}
	line = malloc(strlen(name) + text_len + 16);
	if (!line)
		abort();
	used = (size_t)sprintf(line, "type=%s msg=", name);
	for (size_t i = 0; i < text_len; i++)
		line[used++] = text[i] == '\n' ? ' ' : text[i];
	/* The header's own space stays when the body is empty, so the line still parses. */
	if (line[used - 1] == ' ' &&
	    !(memmem(line, used, "): ", 3) &&
	      (size_t)((char *)memmem(line, used, "): ", 3) - line) + 3 == used))
		used--;
	line[used] = '\0';
	return line;
}

/* The stamp in a line's "msg=audit(S.MMM:SERIAL):", as numbers. */
static bool line_stamp(const char *line, struct canister_record_stamp *ret)
{
	const char *p = strstr(line, " msg=audit(");
	unsigned long long sec, serial;
	unsigned int msec;

	if (!p || sscanf(p, " msg=audit(%llu.%3u:%llu):", &sec, &msec, &serial) != 3)
		return false;
	ret->sec = (int64_t)sec;
	ret->msec = msec;
	ret->serial = serial;
	return true;
}

static void on_event(const struct canister_record_stamp *stamp, const char *const *records,
		     size_t record_count, const struct canister_kaudit_subject *subjects,
		     size_t subject_count, void *ctx)
{
	struct state *st = ctx;
	size_t previous = 0;
	unsigned int last_record = 0;

	if (record_count == 0)
		broken("empty event", NULL);
	if (subject_count > record_count)
		broken("more subjects than records", NULL);
	for (size_t i = 0; i < record_count; i++) {
		struct canister_record_stamp own;
		size_t j;

		if (strchr(records[i], '\n'))
			broken("newline in a record", records[i]);
		if (!line_stamp(records[i], &own) || own.sec != stamp->sec ||
		    own.msec != stamp->msec || own.serial != stamp->serial)
			broken("record of another stamp in the event", records[i]);
		for (j = 0; j < st->count; j++)
			if (!st->lines[j].handed && strcmp(st->lines[j].line, records[i]) == 0)
				break;
		if (j == st->count)
			broken("record never fed, or handed over twice", records[i]);
		if (i > 0 && j < previous)
			broken("records out of the order they were fed", records[i]);
		st->lines[j].handed = true;
		previous = j;
	}
	for (size_t i = 0; i < subject_count; i++) {
		const struct canister_kaudit_subject *s = &subjects[i];

		if (s->record <= last_record || s->record > record_count)
			broken("subject's record out of order or range", NULL);
		if (s->pid <= 0)
			broken("subject without a pid", records[s->record - 1]);
		if (s->target != (strncmp(records[s->record - 1], "type=OBJ_PID ", 13) == 0))
			broken("target that is not OBJ_PID's opid", records[s->record - 1]);
		last_record = s->record;
	}
}

static void expect_line(struct state *st, char *line)
{
	if (st->count == st->capacity) {
		st->capacity = st->capacity ? 2 * st->capacity : 16;
		st->lines = realloc(st->lines, st->capacity * sizeof(*st->lines));
		if (!st->lines)
			abort();
	}
	st->lines[st->count++] = (struct expected){ .line = line };
}

static void run_message(struct canister_kaudit *k, struct state *st, const char *msg, size_t len)
{
	char head[16];
	const char *space;
	size_t head_len;
	char *end;
	long type;
	int r;

	if (len == 3 && memcmp(msg, "age", 3) == 0) {
		canister_kaudit_age(k);
		return;
	}
	if (len == 5 && memcmp(msg, "flush", 5) == 0) {
		canister_kaudit_flush(k);
		return;
	}
	space = memchr(msg, ' ', len);
	if (!space)
		return;
	head_len = (size_t)(space - msg);
	if (head_len == 0 || head_len >= sizeof(head))
		return;
	memcpy(head, msg, head_len);
	head[head_len] = '\0';
	type = strtol(head, &end, 10);
	if (*end || type < INT32_MIN || type > INT32_MAX)
		return;

	/* Expected before the feed: the event it completes is handed over inside it. */
	if (type != AUDIT_EOE)
		expect_line(st, auditd_line((int)type, space + 1, len - head_len - 1));
	r = canister_kaudit_feed(k, (int)type, space + 1, len - head_len - 1);
	if (r != 0 && r != -EINVAL && r != -EMSGSIZE)
		broken("unexpected error", strerror(-r));
	if (r != 0 && type != AUDIT_EOE) {
		if (st->lines[st->count - 1].handed)
			broken("refused message handed over", st->lines[st->count - 1].line);
		free(st->lines[--st->count].line);
	}
	if (r == 0 && (type < 1 || type > 0xffff))
		broken("type outside netlink's accepted", head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { 0 };
	struct canister_kaudit *k;
	const char *p = (const char *)data, *end = p + size;

	if (canister_kaudit_new(on_event, &st, &k) != 0)
		abort();
	while (p < end) {
		const char *sep = memchr(p, SEPARATOR, (size_t)(end - p));
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);

		run_message(k, &st, p, len);
		p += len + (sep ? 1 : 0);
	}
	canister_kaudit_flush(k);
	for (size_t i = 0; i < st.count; i++) {
		if (!st.lines[i].handed)
			broken("line fed but never handed over", st.lines[i].line);
		free(st.lines[i].line);
	}
	free(st.lines);
	canister_kaudit_free(k);
	return 0;
}
