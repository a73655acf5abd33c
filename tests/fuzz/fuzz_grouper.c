// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: the audit grouper on arbitrary messages, against a model of it. */
#include "audit/grouper.h"

#include <errno.h>
#include <libaudit.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The input is a list of messages separated by 0x1e: "TYPE TEXT" with TYPE
 * in decimal and TEXT any bytes (NULs and newlines included), "age" or
 * "age MS", or "flush"; a first message "node NAME" gives every line the
 * prefix "node=NAME ".  Checked against a model written apart from the
 * library:
 *   - a message is refused exactly when its type or its stamp is not the
 *     kernel's, and counted as refused exactly when it is its stamp;
 *   - every accepted message's line (auditd's, written out here) is handed
 *     over exactly once, whole, in an event of its own stamp, in the order
 *     it was fed within its event, with its type, its pid (opid for
 *     OBJ_PID) and the event's facts from its first SYSCALL record;
 *   - each record's offsets lie inside the buffer, its fields inside its
 *     line, and the event's bytes are exactly its lines one after the other;
 *   - an EOE or a record of its own ends its stamp's event before the feed
 *     returns, nothing else does but the pending bound (counted as forced);
 *     age hands over exactly the events 2 s behind the clock or the latest
 *     stamp fed (60 s behind the latest stamp for one with a SYSCALL or
 *     URINGOP record, whose EOE the kernel sends), flush all; the counters say what happened.
 * Leaks are LeakSanitizer's.
 */
#define SEPARATOR 0x1e

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct expected {
	char *line;	  /* with prefix and newline */
	size_t len, body; /* body: where the kernel's text starts in it */
	int type;
	struct canister_record_stamp stamp;
	pid_t pid;
	bool handed;
};

enum op { OP_NONE, OP_FEED, OP_AGE, OP_FLUSH };

struct state {
	struct audit_grouper *g;
	char prefix[512];
	struct expected *lines;
	size_t count, capacity;
	int64_t latest_ms; /* the latest accepted message's stamp */
	/* What is being done, for the callback to check what it is handed. */
	enum op op;
	int feed_type;
	struct canister_record_stamp feed_stamp;
	int64_t now_ms;			    /* of the age being done: the wall clock given, or 0 */
	size_t handed_events, handed_other; /* during this op: events, those of another stamp */
	/* The counters as they should be. */
	uint64_t events, aged, forced, records, refused;
};

static void broken(const char *what, const char *detail, size_t len)
{
	fprintf(stderr, "invariant broken: %s (%.*s)\n", what, (int)(len > 400 ? 400 : len),
		detail ? detail : "");
	abort();
}

static int64_t stamp_ms(const struct canister_record_stamp *s)
{
	return s->sec * 1000 + (int64_t)s->msec;
}

static bool same_stamp(const struct canister_record_stamp *a, const struct canister_record_stamp *b)
{
	return a->sec == b->sec && a->msec == b->msec && a->serial == b->serial;
}

static size_t count_digits(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

/*
 * The kernel's stamp, "audit(S.MMM:N):" then a space or the end: S 1 to 12
 * digits, MMM 3, N 1 to 20 within 64 bits.
 */
static bool model_stamp(const char *text, size_t len, struct canister_record_stamp *ret)
{
	const char *p = text, *end = text + len;
	char digits[32];
	size_t n;

	if (len < 6 || memcmp(p, "audit(", 6) != 0)
		return false;
	p += 6;
	n = count_digits(p, end);
	if (n < 1 || n > 12 || p + n >= end || p[n] != '.')
		return false;
	memcpy(digits, p, n);
	digits[n] = '\0';
	ret->sec = (int64_t)strtoll(digits, NULL, 10);
	p += n + 1;
	if (count_digits(p, end) < 3 || p + 3 >= end || p[3] != ':')
		return false;
	ret->msec = (uint32_t)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
	p += 4;
	n = count_digits(p, end);
	if (n < 1 || n > 20)
		return false;
	memcpy(digits, p, n);
	digits[n] = '\0';
	if (n == 20 && strcmp(digits, "18446744073709551615") > 0)
		return false;
	ret->serial = strtoull(digits, NULL, 10);
	p += n;
	if (end - p < 2 || p[0] != ')' || p[1] != ':')
		return false;
	return end - p == 2 || p[2] == ' ';
}

/* auditd's line for a message, written out independently of the library. */
static char *auditd_line(const char *prefix, int type, const char *text, size_t text_len,
			 size_t *ret_len, size_t *ret_body)
{
	const char *name = audit_msg_type_to_name(type);
	char unknown[32], *line, *body;
	size_t used;

	if (!name) {
		snprintf(unknown, sizeof(unknown), "UNKNOWN[%d]", type);
		name = unknown;
	}
	line = malloc(strlen(prefix) + strlen(name) + text_len + 16);
	if (!line)
		abort();
	used = (size_t)sprintf(line, "%stype=%s msg=", prefix, name);
	body = line + used;
	for (size_t i = 0; i < text_len; i++)
		line[used++] = text[i] == '\n' ? ' ' : text[i];
	/* One trailing space goes, but the header's own when the body is empty. */
	if (line[used - 1] == ' ') {
		const char *colon = memmem(body, (size_t)(line + used - body), "): ", 3);

		if (!colon || colon + 3 != line + used)
			used--;
	}
	line[used++] = '\n';
	line[used] = '\0';
	*ret_len = used;
	*ret_body = (size_t)(body - line);
	return line;
}

/* The fields of a line: past the stamp's "): " (the body's first), up to the newline. */
static const char *line_fields(const struct expected *e, size_t *ret_len)
{
	const char *line = e->line, *body = e->line + e->body;
	size_t len = e->len;
	const char *colon = memmem(body, (size_t)(line + len - body), "): ", 3);

	if (!colon) {
		*ret_len = 0;
		return line + len - 1;
	}
	*ret_len = (size_t)(line + len - 1 - (colon + 3));
	return colon + 3;
}

/* The first space-separated token NAME=VALUE of @fields; NULL when none. */
static const char *token(const char *fields, size_t len, const char *name, size_t *ret_len)
{
	size_t name_len = strlen(name);

	for (size_t at = 0; at <= len;) {
		const char *start = fields + at, *space = memchr(start, ' ', len - at);
		size_t n = space ? (size_t)(space - start) : len - at;

		if (n > name_len && memcmp(start, name, name_len) == 0 && start[name_len] == '=') {
			*ret_len = n - name_len - 1;
			return start + name_len + 1;
		}
		at += n + 1;
	}
	return NULL;
}

static pid_t model_pid(const struct expected *e)
{
	size_t fields_len, value_len;
	const char *fields = line_fields(e, &fields_len);
	const char *value =
		token(fields, fields_len, e->type == AUDIT_OBJ_PID ? "opid" : "pid", &value_len);
	long long pid = 0;

	if (!value || value_len == 0 || value_len > 10)
		return 0;
	for (size_t i = 0; i < value_len; i++) {
		if (value[i] < '0' || value[i] > '9')
			return 0;
		pid = pid * 10 + (value[i] - '0');
	}
	return pid > 0 && pid <= INT_MAX ? (pid_t)pid : 0;
}

static bool model_number(const char *value, size_t len, int base, uint32_t *ret)
{
	char copy[32];
	unsigned long long n;

	if (!value || len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(value[i] >= '0' && value[i] <= '9') &&
		    !(base == 16 && ((value[i] >= 'a' && value[i] <= 'f') ||
				     (value[i] >= 'A' && value[i] <= 'F'))))
			return false;
	memcpy(copy, value, len);
	copy[len] = '\0';
	errno = 0;
	n = strtoull(copy, NULL, base);
	if (errno || n > UINT32_MAX)
		return false;
	*ret = (uint32_t)n;
	return true;
}

static void model_facts(const struct expected *e, struct canister_syscall_facts *ret)
{
	size_t fields_len, arch_len, nr_len, success_len, key_len;
	const char *fields = line_fields(e, &fields_len);
	const char *arch = token(fields, fields_len, "arch", &arch_len);
	const char *nr = token(fields, fields_len, "syscall", &nr_len);
	const char *success = token(fields, fields_len, "success", &success_len);
	const char *key = token(fields, fields_len, "key", &key_len);
	uint32_t arch_value, nr_value;

	memset(ret, 0, sizeof(*ret));
	if (model_number(arch, arch_len, 16, &arch_value) &&
	    model_number(nr, nr_len, 10, &nr_value)) {
		ret->present = true;
		ret->arch = arch_value;
		ret->nr = nr_value;
	}
	ret->success = success && success_len == 3 && memcmp(success, "yes", 3) == 0;
	if (key && key_len >= 2 && key[0] == '"' && key[key_len - 1] == '"' &&
	    key_len - 2 <= AUDIT_MAX_KEY_LEN) {
		memcpy(ret->key, key + 1, key_len - 2);
		ret->key[key_len - 2] = '\0';
	}
}

/*
 * A record the kernel writes outside any system call, an event of its own:
 * user messages (1005, 1100-1199, 2100-2999) but LOGIN, and KERNEL.  The
 * types between (netlink's commands, auditd's own 1200-1299) never come as
 * events; they are taken as user messages too.
 */
static bool of_its_own(int type)
{
	if (type == AUDIT_KERNEL)
		return true;
	return type != AUDIT_LOGIN && ((type >= AUDIT_USER && type <= 1299) || type >= 2100);
}

/* The view holds together: lines end to end, each with its prefix, "type=" and fields. */
static void check_view(const struct state *st, const struct audit_event *event)
{
	size_t prefix_len = strlen(st->prefix), at = 0;

	if (event->count == 0)
		broken("empty event", NULL, 0);
	if (event->kernel_count != event->count)
		broken("kernel_count is not the count of records", NULL, 0);
	if (event->len > event->capacity)
		broken("event longer than its buffer", NULL, 0);
	if (event->placed || event->depth)
		broken("event placed before anyone attributed it", NULL, 0);
	for (size_t i = 0; i < event->count; i++) {
		const struct audit_record *r = &event->records[i];
		const char *line = event->bytes + r->line;
		size_t end = (size_t)r->line + r->line_len;

		if (r->line != at || r->line_len == 0 || end > event->len)
			broken("record's line not right after the one before", NULL, 0);
		if (memchr(line, '\n', r->line_len) != event->bytes + end - 1)
			broken("line without its one newline at its end", line, r->line_len);
		if (memcmp(line, st->prefix, prefix_len) != 0 || r->text != r->line + prefix_len ||
		    memcmp(event->bytes + r->text, "type=", 5) != 0)
			broken("line's prefix or type= not where the record says", line,
			       r->line_len);
		if (r->fields <= r->text || r->fields > end - 1)
			broken("fields outside the record's line", line, r->line_len);
		at = end;
	}
	if (at != event->len)
		broken("event's bytes are not exactly its lines", event->bytes, event->len);
}

static bool eoe_type(int type)
{
	return type == AUDIT_SYSCALL || type == AUDIT_URINGOP;
}

/* The event handed over holds a record after which the kernel sends EOE. */
static bool event_eoe_due(const struct audit_event *event)
{
	for (size_t i = 0; i < event->count; i++)
		if (eoe_type(event->records[i].type))
			return true;
	return false;
}

/* The event building for @stamp (its lines not handed over yet) holds such a record. */
static bool building_eoe_due(const struct state *st, const struct canister_record_stamp *stamp)
{
	for (size_t i = 0; i < st->count; i++)
		if (!st->lines[i].handed && same_stamp(&st->lines[i].stamp, stamp) &&
		    eoe_type(st->lines[i].type))
			return true;
	return false;
}

/* Old enough to age: 2 s behind the clock given, or behind the latest stamp by its bound. */
static bool old_enough(const struct state *st, const struct canister_record_stamp *stamp,
		       bool eoe_due)
{
	int64_t at = stamp_ms(stamp);

	return at + AUDIT_GROUPER_TIMEOUT_MS < st->now_ms ||
	       at + (eoe_due ? AUDIT_GROUPER_EOE_TIMEOUT_MS : AUDIT_GROUPER_TIMEOUT_MS) <
		       st->latest_ms;
}

static void on_event(struct audit_event *event, void *ctx)
{
	struct state *st = ctx;
	struct canister_syscall_facts facts;
	bool syscall_seen = false;
	size_t previous = 0;

	check_view(st, event);
	memset(&facts, 0, sizeof(facts));
	for (size_t i = 0; i < event->count; i++) {
		const struct audit_record *r = &event->records[i];
		const char *line = event->bytes + r->line, *fields;
		size_t j, fields_len;

		for (j = i ? previous + 1 : 0; j < st->count; j++)
			if (!st->lines[j].handed && st->lines[j].len == r->line_len &&
			    memcmp(st->lines[j].line, line, r->line_len) == 0)
				break;
		if (j == st->count)
			broken("record never fed, handed over twice, or out of its order", line,
			       r->line_len);
		if (!same_stamp(&st->lines[j].stamp, &event->stamp))
			broken("record of another stamp in the event", line, r->line_len);
		if (r->type != st->lines[j].type)
			broken("record's type is not the message's", line, r->line_len);
		if (r->target != (r->type == AUDIT_OBJ_PID))
			broken("target that is not OBJ_PID's", line, r->line_len);
		fields = line_fields(&st->lines[j], &fields_len);
		if (r->fields - r->line != (size_t)(fields - st->lines[j].line))
			broken("fields not past the stamp's \"): \"", line, r->line_len);
		if (r->pid != st->lines[j].pid)
			broken("record's pid is not its first pid= (opid=)", line, r->line_len);
		if (r->type == AUDIT_SYSCALL && !syscall_seen) {
			syscall_seen = true;
			model_facts(&st->lines[j], &facts);
		}
		st->lines[j].handed = true;
		previous = j;
	}
	if (event->facts.present != facts.present || event->facts.success != facts.success ||
	    strcmp(event->facts.key, facts.key) != 0 ||
	    (facts.present && (event->facts.arch != facts.arch || event->facts.nr != facts.nr)))
		broken("facts not those of the first SYSCALL record", event->bytes, event->len);

	st->events++;
	st->handed_events++;
	switch (st->op) {
	case OP_FEED:
		if (!same_stamp(&event->stamp, &st->feed_stamp))
			st->handed_other++;
		else if (st->feed_type != AUDIT_EOE && !of_its_own(st->feed_type))
			st->handed_other++; /* its own stamp, but nothing ends it */
		break;
	case OP_AGE:
		if (!old_enough(st, &event->stamp, event_eoe_due(event)))
			broken("event aged before its time", event->bytes, event->len);
		st->aged++;
		break;
	case OP_FLUSH:
		st->aged++;
		break;
	case OP_NONE:
		broken("event handed over outside feed, age and flush", NULL, 0);
	}
}

static void expect_line(struct state *st, char *line, size_t len, size_t body, int type,
			const struct canister_record_stamp *stamp)
{
	struct expected *e;

	if (st->count == st->capacity) {
		st->capacity = st->capacity ? 2 * st->capacity : 16;
		st->lines = realloc(st->lines, st->capacity * sizeof(*st->lines));
		if (!st->lines)
			abort();
	}
	e = &st->lines[st->count++];
	*e = (struct expected){
		.line = line, .len = len, .body = body, .type = type, .stamp = *stamp
	};
	e->pid = model_pid(e);
}

/* No line of @stamp is left unhanded. */
static void check_stamp_done(const struct state *st, const struct canister_record_stamp *stamp)
{
	for (size_t i = 0; i < st->count; i++)
		if (!st->lines[i].handed && same_stamp(&st->lines[i].stamp, stamp))
			broken("event not ended by its EOE or its record of its own",
			       st->lines[i].line, st->lines[i].len);
}

static void check_stats(const struct state *st)
{
	struct audit_grouper_stats stats;

	audit_grouper_stats(st->g, &stats);
	if (stats.events != st->events || stats.aged != st->aged || stats.forced != st->forced ||
	    stats.records != st->records || stats.refused != st->refused || stats.no_memory)
		broken("counters not what was done", NULL, 0);
}

static void run_age(struct state *st, int64_t now_ms)
{
	st->op = OP_AGE;
	st->now_ms = now_ms;
	audit_grouper_age(st->g, now_ms);
	st->op = OP_NONE;
	/* What is left is young enough. */
	for (size_t i = 0; i < st->count; i++)
		if (!st->lines[i].handed &&
		    old_enough(st, &st->lines[i].stamp, building_eoe_due(st, &st->lines[i].stamp)))
			broken("event left building past its age", st->lines[i].line,
			       st->lines[i].len);
}

static void run_flush(struct state *st)
{
	st->op = OP_FLUSH;
	audit_grouper_flush(st->g);
	st->op = OP_NONE;
	if (audit_grouper_pending(st->g) != 0)
		broken("events still building after flush", NULL, 0);
	for (size_t i = 0; i < st->count; i++)
		if (!st->lines[i].handed)
			broken("line fed but not handed over by flush", st->lines[i].line,
			       st->lines[i].len);
}

static void run_feed(struct state *st, long type, const char *text, size_t len)
{
	struct canister_record_stamp stamp;
	size_t text_len = strnlen(text, len), line_len, body, pending;
	bool valid_type = type >= 1 && type <= 0xffff;
	bool accepted = valid_type && model_stamp(text, text_len, &stamp);
	char *line = NULL;
	int r;

	if (accepted && type != AUDIT_EOE) {
		line = auditd_line(st->prefix, (int)type, text, text_len, &line_len, &body);
		expect_line(st, line, line_len, body, (int)type, &stamp);
	}
	st->op = OP_FEED;
	st->feed_type = (int)type;
	if (accepted)
		st->feed_stamp = stamp;
	st->handed_events = st->handed_other = 0;
	pending = audit_grouper_pending(st->g);
	r = audit_grouper_feed(st->g, (int)type, text, len);
	st->op = OP_NONE;
	if (r != (accepted ? 0 : -EINVAL))
		broken(accepted ? "message refused" : "message taken", text, text_len);
	if (!accepted) {
		if (st->handed_events)
			broken("refused message handed events over", text, text_len);
		if (valid_type)
			st->refused++;
		return;
	}
	st->latest_ms = stamp_ms(&stamp);
	if (type != AUDIT_EOE)
		st->records++;
	/* Only the bound hands over events that nothing ended, one per new event at most. */
	if (st->handed_other &&
	    (st->handed_other > 1 || type == AUDIT_EOE || pending != AUDIT_GROUPER_PENDING_MAX))
		broken("events handed over that the message did not end", text, text_len);
	st->forced += st->handed_other;
	if (type == AUDIT_EOE || of_its_own((int)type))
		check_stamp_done(st, &stamp);
}

static void run_message(struct state *st, const char *msg, size_t len)
{
	char head[32];
	const char *space;
	size_t head_len;
	char *end;
	long type;

	if (len == 5 && memcmp(msg, "flush", 5) == 0) {
		run_flush(st);
		return;
	}
	if (len >= 3 && memcmp(msg, "age", 3) == 0 && (len == 3 || msg[3] == ' ')) {
		long long now = 0;

		if (len > 4 && len - 4 < sizeof(head)) {
			memcpy(head, msg + 4, len - 4);
			head[len - 4] = '\0';
			now = strtoll(head, NULL, 10);
		}
		run_age(st, (int64_t)now);
		return;
	}
	space = memchr(msg, ' ', len);
	if (!space)
		return;
	head_len = (size_t)(space - msg);
	if (head_len == 0 || head_len >= 16)
		return;
	memcpy(head, msg, head_len);
	head[head_len] = '\0';
	type = strtol(head, &end, 10);
	if (*end || type < INT32_MIN || type > INT32_MAX)
		return;
	run_feed(st, type, space + 1, len - head_len - 1);
}

/* "node NAME" first: the prefix "node=NAME ", as name_format gives it. */
static size_t take_prefix(struct state *st, const char *p, size_t len)
{
	size_t name_len;

	if (len < 5 || memcmp(p, "node ", 5) != 0)
		return 0;
	name_len = len - 5;
	if (memchr(p + 5, '\n', name_len) || memchr(p + 5, '\0', name_len) ||
	    strlen("node= ") + name_len >= sizeof(st->prefix))
		return 0;
	snprintf(st->prefix, sizeof(st->prefix), "node=%.*s ", (int)name_len, p + 5);
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { 0 };
	const char *p = (const char *)data, *end = p + size;
	const char *first_end = memchr(p, SEPARATOR, size);
	size_t first_len = first_end ? (size_t)(first_end - p) : size;
	int r;

	if (take_prefix(&st, p, first_len))
		p += first_len + (first_end ? 1 : 0);
	r = audit_grouper_new(on_event, &st, st.prefix, &st.g);
	if (strlen(st.prefix) > 255) {
		if (r != -EINVAL)
			broken("prefix over 255 bytes taken", st.prefix, strlen(st.prefix));
		st.prefix[0] = '\0';
		r = audit_grouper_new(on_event, &st, NULL, &st.g);
	}
	if (r != 0)
		abort();
	while (p < end) {
		const char *sep = memchr(p, SEPARATOR, (size_t)(end - p));
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);

		run_message(&st, p, len);
		check_stats(&st);
		p += len + (sep ? 1 : 0);
	}
	run_flush(&st);
	check_stats(&st);
	for (size_t i = 0; i < st.count; i++)
		free(st.lines[i].line);
	free(st.lines);
	audit_grouper_free(st.g);
	return 0;
}
