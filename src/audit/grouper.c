// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the kernel's audit records grouped into events, and the processes each event names. */
#include "audit/grouper.h"

#include <auparse.h>
#include <errno.h>
#include <libaudit.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* libauparse's default end_of_event_timeout, in seconds; its ageing rule is copied below. */
#define EOE_TIMEOUT_SEC 2

/* "type=" NAME " msg=" TEXT "\n": libaudit's longest name has 25 bytes, UNKNOWN[65535] 14. */
#define TYPE_NAME_MAX 32
#define LINE_SIZE (sizeof("type=") + TYPE_NAME_MAX + sizeof(" msg=") + MAX_AUDIT_MESSAGE_LENGTH + 2)

/*
 * Digits accepted in the stamp.  auparse reads the stamp out of a line's first
 * 80 bytes only; with the longest type name these bounds keep it inside.  The
 * kernel writes 10 digits of seconds (until the year 2286) and a 32-bit serial.
 */
#define SEC_DIGITS_MAX 12
#define SERIAL_DIGITS_MAX 20

struct line {
	char *text;
	int type;
};

/* The lines of one stamp that are not yet handed over, in the order they came. */
struct pending {
	struct pending *prev, *next;
	struct canister_record_stamp stamp;
	struct line *lines;
	size_t count, capacity;
};

struct canister_kaudit {
	auparse_state_t *au;
	canister_kaudit_event_fn fn;
	void *ctx;
	/* By the arrival of their first line; the newest is the likeliest to get the next one. */
	struct pending *oldest, *newest;
	/* Grown while feeding, so that handing an event over needs no memory. */
	const char **records;
	struct canister_kaudit_subject *subjects;
	size_t scratch_capacity;
	char line[LINE_SIZE];
};

static bool same_stamp(const struct canister_record_stamp *a, const struct canister_record_stamp *b)
{
	return a->sec == b->sec && a->msec == b->msec && a->serial == b->serial;
}

static struct pending *find_pending(const struct canister_kaudit *k,
				    const struct canister_record_stamp *stamp)
{
	for (struct pending *p = k->newest; p; p = p->prev)
		if (same_stamp(&p->stamp, stamp))
			return p;
	return NULL;
}

static void unlink_pending(struct canister_kaudit *k, struct pending *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		k->oldest = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		k->newest = p->prev;
}

static void free_pending(struct pending *p)
{
	for (size_t i = 0; i < p->count; i++)
		free(p->lines[i].text);
	free(p->lines);
	free(p);
}

/*
 * Records the kernel writes inside a syscall, before that syscall's own
 * SYSCALL ... EOE under the same stamp, but that libauparse ends an event
 * on: a LOGIN (writing /proc/self/loginuid) and netlabel's configuration.
 */
static bool continued_by_syscall(int type)
{
	return type == AUDIT_LOGIN ||
	       (type >= AUDIT_MAC_UNLBL_ALLOW && type <= AUDIT_MAC_CALIPSO_DEL);
}

/* The value of the first field @name among @fields, when it is a pid; else 0. */
static pid_t field_pid(const char *fields, const char *name)
{
	size_t name_len = strlen(name);
	const char *p = fields;
	long pid = 0;
	int digits = 0;

	for (;;) {
		p = strstr(p, name);
		if (!p)
			return 0;
		if (p > fields && p[-1] == ' ' && p[name_len] == '=')
			break;
		p++;
	}
	for (p += name_len + 1; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 10)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	if (digits == 0 || (*p != ' ' && *p != '\0') || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

static void hand_over(struct canister_kaudit *k, struct pending *p)
{
	size_t subject_count = 0;

	unlink_pending(k, p);
	for (size_t i = 0; i < p->count; i++) {
		bool target = p->lines[i].type == AUDIT_OBJ_PID;
		/* Past "type=NAME msg=audit(...):", so that only the fields are searched. */
		const char *fields = strstr(p->lines[i].text, "):");
		pid_t pid = fields ? field_pid(fields, target ? "opid" : "pid") : 0;

		k->records[i] = p->lines[i].text;
		if (pid > 0)
			k->subjects[subject_count++] = (struct canister_kaudit_subject){
				.record = (unsigned int)(i + 1),
				.pid = pid,
				.target = target,
			};
	}
	k->fn(&p->stamp, k->records, p->count, k->subjects, subject_count, k->ctx);
	free_pending(p);
}

/* libauparse's word that an event is complete: its lines are ours to hand over. */
static void on_auparse_event(auparse_state_t *au, auparse_cb_event_t cb_type, void *data)
{
	struct canister_kaudit *k = data;
	struct canister_record_stamp stamp;
	struct pending *p;

	if (cb_type != AUPARSE_CB_EVENT_READY)
		return;
	stamp.sec = (int64_t)auparse_get_time(au);
	stamp.msec = auparse_get_milli(au);
	stamp.serial = auparse_get_serial(au);
	p = find_pending(k, &stamp);
	/* None: an EOE after PROCTITLE, which libauparse ends an event on, or gone by age. */
	if (!p)
		return;
	if (continued_by_syscall(p->lines[p->count - 1].type))
		return;
	hand_over(k, p);
}

int canister_kaudit_new(canister_kaudit_event_fn fn, void *ctx, struct canister_kaudit **ret)
{
	struct canister_kaudit *k;

	if (!fn || !ret)
		return -EINVAL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->au = auparse_init(AUSOURCE_FEED, NULL);
	if (!k->au) {
		free(k);
		return -ENOMEM;
	}
	auparse_add_callback(k->au, on_auparse_event, k, NULL);
	k->fn = fn;
	k->ctx = ctx;
	*ret = k;
	return 0;
}

void canister_kaudit_free(struct canister_kaudit *k)
{
	struct pending *p, *next;

	if (!k)
		return;
	auparse_destroy(k->au);
	for (p = k->oldest; p; p = next) {
		next = p->next;
		free_pending(p);
	}
	free(k->records);
	free(k->subjects);
	free(k);
}

/* 1 to @max digits at *@p, advancing it, as an unsigned number without overflow. */
static bool parse_digits(const char **p, int max, uint64_t *ret)
{
	uint64_t value = 0;
	int digits = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		unsigned int d = (unsigned int)(**p - '0');

		if (++digits > max || value > (UINT64_MAX - d) / 10)
			return false;
		value = value * 10 + d;
	}
	*ret = value;
	return digits > 0;
}

/*
 * "audit(SECONDS.MMM:SERIAL):" then a space or the end, as the kernel writes
 * it; *@ret_len is the length up to the colon.
 */
static bool parse_stamp(const char *text, struct canister_record_stamp *ret_stamp, size_t *ret_len)
{
	const char *p = text;
	uint64_t sec, msec, serial;

	if (strncmp(p, "audit(", 6) != 0)
		return false;
	p += 6;
	if (!parse_digits(&p, SEC_DIGITS_MAX, &sec) || *p++ != '.')
		return false;
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9')
		return false;
	msec = (uint64_t)(p[0] - '0') * 100 + (uint64_t)(p[1] - '0') * 10 + (uint64_t)(p[2] - '0');
	p += 3;
	if (*p++ != ':' || !parse_digits(&p, SERIAL_DIGITS_MAX, &serial))
		return false;
	if (p[0] != ')' || p[1] != ':' || (p[2] != ' ' && p[2] != '\0'))
		return false;
	ret_stamp->sec = (int64_t)sec;
	ret_stamp->msec = (uint32_t)msec;
	ret_stamp->serial = serial;
	*ret_len = (size_t)(p + 2 - text);
	return true;
}

/*
 * auditd's format_raw(): "type=NAME msg=TEXT", newlines made spaces, one
 * trailing space dropped; into k->line, with room left for the newline that
 * ends it for auparse.  Returns the line's length.
 */
/* Whether @line (@used bytes) ends right after its header's "): ". */
static bool empty_body(const char *line, size_t used)
{
	const char *head_end = memmem(line, used, "): ", 3);

	return head_end && (size_t)(head_end - line) + 3 == used;
}

static size_t format_line(struct canister_kaudit *k, int type, const char *text, size_t len)
{
	const char *name = audit_msg_type_to_name(type);
	char unknown[TYPE_NAME_MAX];
	size_t used, text_len = strnlen(text, len);

	if (!name || strlen(name) >= TYPE_NAME_MAX) {
		snprintf(unknown, sizeof(unknown), "UNKNOWN[%d]", type);
		name = unknown;
	}
	used = (size_t)snprintf(k->line, sizeof(k->line), "type=%s msg=", name);
	for (size_t i = 0; i < text_len; i++)
		k->line[used++] = text[i] == '\n' ? ' ' : text[i];
	/* A trailing space goes, but for the header's own when the body is empty. */
	if (k->line[used - 1] == ' ' && !empty_body(k->line, used))
		used--;
	k->line[used] = '\0';
	return used;
}

static int reserve_scratch(struct canister_kaudit *k, size_t need)
{
	const char **records;
	struct canister_kaudit_subject *subjects;
	size_t capacity;

	if (need <= k->scratch_capacity)
		return 0;
	capacity = k->scratch_capacity ? 2 * k->scratch_capacity : 16;
	while (capacity < need)
		capacity *= 2;
	records = realloc(k->records, capacity * sizeof(*records));
	if (!records)
		return -ENOMEM;
	k->records = records;
	subjects = realloc(k->subjects, capacity * sizeof(*subjects));
	if (!subjects)
		return -ENOMEM;
	k->subjects = subjects;
	k->scratch_capacity = capacity;
	return 0;
}

/* Keeps a copy of the line in its stamp's pending event; nothing changes on failure. */
static int keep_line(struct canister_kaudit *k, const struct canister_record_stamp *stamp, int type,
		     size_t line_len)
{
	struct pending *p = find_pending(k, stamp);
	bool created = false;
	char *text;

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->stamp = *stamp;
		created = true;
	}
	text = strndup(k->line, line_len);
	if (!text || reserve_scratch(k, p->count + 1) < 0)
		goto nomem;
	if (p->count == p->capacity) {
		size_t capacity = p->capacity ? 2 * p->capacity : 8;
		struct line *lines = realloc(p->lines, capacity * sizeof(*lines));

		if (!lines)
			goto nomem;
		p->lines = lines;
		p->capacity = capacity;
	}
	p->lines[p->count++] = (struct line){ .text = text, .type = type };
	if (created) {
		p->prev = k->newest;
		if (k->newest)
			k->newest->next = p;
		else
			k->oldest = p;
		k->newest = p;
	}
	return 0;

nomem:
	free(text);
	if (created)
		free(p);
	return -ENOMEM;
}

/* Undoes keep_line() when libauparse could not take the line. */
static void forget_line(struct canister_kaudit *k, const struct canister_record_stamp *stamp)
{
	struct pending *p = find_pending(k, stamp);

	if (!p)
		return;
	free(p->lines[--p->count].text);
	if (p->count == 0) {
		unlink_pending(k, p);
		free_pending(p);
	}
}

/*
 * libauparse marks an event complete when its last record arrives but hands
 * it over only on the next feed; an empty feed is that next feed.  Once: an
 * event complete behind one still building stays ready, and would not go.
 */
static void drain(struct canister_kaudit *k)
{
	if (auparse_feed_has_ready_event(k->au))
		auparse_feed(k->au, "", 0);
}

int canister_kaudit_feed(struct canister_kaudit *k, int type, const char *text, size_t len)
{
	struct canister_record_stamp stamp;
	struct pending *p;
	size_t line_len, head_len;
	const char *msg;
	char cut;
	int r;

	if (!k || type < 1 || type > 0xffff || !text)
		return -EINVAL;
	if (len > MAX_AUDIT_MESSAGE_LENGTH)
		return -EMSGSIZE;
	line_len = format_line(k, type, text, len);
	/* Checked on the line's copy of the text: NUL-terminated, whatever @len said. */
	msg = strstr(k->line, " msg=") + strlen(" msg=");
	if (!parse_stamp(msg, &stamp, &head_len))
		return -EINVAL;
	head_len += (size_t)(msg - k->line);

	/* EOE only ends the event: auditd does not write it, and neither is it handed over. */
	if (type != AUDIT_EOE) {
		r = keep_line(k, &stamp, type, line_len);
		if (r < 0)
			return r;
	}
	/*
	 * libauparse groups by type and stamp alone, so it gets no more: the
	 * fields are kept here whole (3.0.9 cuts a record at 0x1d and leaks a
	 * field repeated in a record), and none of its parsers see them.
	 */
	cut = k->line[head_len];
	k->line[head_len] = '\n';
	r = auparse_feed(k->au, k->line, head_len + 1);
	k->line[head_len] = cut;
	if (r < 0) {
		if (type != AUDIT_EOE)
			forget_line(k, &stamp);
		return -ENOMEM;
	}
	drain(k);

	/*
	 * The kernel says there is no more: a LOGIN held back here, or an event
	 * that libauparse keeps behind an older one still building, is done.
	 */
	if (type == AUDIT_EOE) {
		p = find_pending(k, &stamp);
		if (p)
			hand_over(k, p);
	}
	return 0;
}

void canister_kaudit_age(struct canister_kaudit *k)
{
	time_t now = time(NULL);
	struct pending *p, *next;

	if (!k)
		return;
	auparse_feed_age_events(k->au);
	drain(k);
	/* What libauparse has ended by now but was held back here, by libauparse's own rule. */
	for (p = k->oldest; p; p = next) {
		next = p->next;
		if (p->stamp.sec + EOE_TIMEOUT_SEC < (int64_t)now)
			hand_over(k, p);
	}
}

void canister_kaudit_flush(struct canister_kaudit *k)
{
	if (!k)
		return;
	auparse_flush_feed(k->au);
	while (k->oldest)
		hand_over(k, k->oldest);
}
