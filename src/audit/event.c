// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: one kernel audit event, parsed once into the view every consumer shares. */
#include "audit/event.h"

#include <errno.h>
#include <libaudit.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Digits accepted in the stamp.  auparse reads the stamp out of a line's first
 * 80 bytes only; with the longest type name these bounds keep it inside.  The
 * kernel writes 10 digits of seconds (until the year 2286) and a 32-bit serial.
 */
#define SEC_DIGITS_MAX 12
#define SERIAL_DIGITS_MAX 20

void audit_event_reset(struct audit_event *event, const struct canister_record_stamp *stamp)
{
	event->stamp = *stamp;
	event->len = 0;
	event->count = 0;
	event->kernel_count = 0;
	memset(&event->facts, 0, sizeof(event->facts));
	event->syscall_seen = false;
	event->eoe_due = false;
	event->placed = false;
	event->depth = 0;
}

void audit_event_free(struct audit_event *event)
{
	free(event->bytes);
	free(event->records);
	event->bytes = NULL;
	event->records = NULL;
	event->len = event->capacity = event->count = event->records_capacity = 0;
}

static int reserve(struct audit_event *event, size_t more)
{
	size_t capacity;
	char *bigger;

	if (more > UINT32_MAX - event->len)
		return -E2BIG;
	if (event->len + more <= event->capacity)
		return 0;
	capacity = event->capacity ? event->capacity : 1024;
	while (capacity < event->len + more)
		capacity *= 2;
	bigger = realloc(event->bytes, capacity);
	if (!bigger)
		return -ENOMEM;
	event->bytes = bigger;
	event->capacity = capacity;
	return 0;
}

static int reserve_record(struct audit_event *event)
{
	struct audit_record *bigger;
	size_t capacity;

	if (event->count < event->records_capacity)
		return 0;
	capacity = event->records_capacity ? 2 * event->records_capacity : 16;
	bigger = realloc(event->records, capacity * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	event->records = bigger;
	event->records_capacity = capacity;
	return 0;
}

const char *canister_audit_field(const char *fields, size_t len, const char *name, size_t *ret_len)
{
	size_t name_len = strlen(name);
	const char *end = fields + len, *p = fields;

	while (p < end) {
		const char *token_end = memchr(p, ' ', (size_t)(end - p));

		if (!token_end)
			token_end = end;
		if ((size_t)(token_end - p) > name_len && memcmp(p, name, name_len) == 0 &&
		    p[name_len] == '=') {
			*ret_len = (size_t)(token_end - p) - name_len - 1;
			return p + name_len + 1;
		}
		p = token_end + 1;
	}
	return NULL;
}

static pid_t positive_pid(const char *value, size_t len)
{
	long pid = 0;

	if (len == 0 || len > 10)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '9')
			return 0;
		pid = pid * 10 + (value[i] - '0');
	}
	return pid > 0 && pid <= INT_MAX ? (pid_t)pid : 0;
}

static bool parse_unsigned(const char *text, size_t len, int base, uint64_t max, uint64_t *ret)
{
	uint64_t value = 0;

	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		unsigned int digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			digit = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			digit = (unsigned int)(c - 'A' + 10);
		else
			return false;
		if (value > (max - digit) / (uint64_t)base)
			return false;
		value = value * (uint64_t)base + digit;
	}
	*ret = value;
	return true;
}

/* What routing needs of the event's first SYSCALL record, read from its fields. */
static void read_facts(const char *fields, size_t len, struct canister_syscall_facts *ret)
{
	const char *arch, *nr, *success, *key;
	size_t arch_len, nr_len, success_len, key_len;
	uint64_t arch_value, nr_value;

	memset(ret, 0, sizeof(*ret));
	arch = canister_audit_field(fields, len, "arch", &arch_len);
	nr = canister_audit_field(fields, len, "syscall", &nr_len);
	if (arch && nr && parse_unsigned(arch, arch_len, 16, UINT32_MAX, &arch_value) &&
	    parse_unsigned(nr, nr_len, 10, UINT32_MAX, &nr_value)) {
		ret->present = true;
		ret->arch = (uint32_t)arch_value;
		ret->nr = (unsigned int)nr_value;
	}
	success = canister_audit_field(fields, len, "success", &success_len);
	ret->success = success && success_len == 3 && memcmp(success, "yes", 3) == 0;
	/* key="k" for one plain key; (null) or hex for none or several. */
	key = canister_audit_field(fields, len, "key", &key_len);
	if (key && key_len >= 2 && key[0] == '"' && key[key_len - 1] == '"' &&
	    key_len - 2 <= AUDIT_MAX_KEY_LEN) {
		memcpy(ret->key, key + 1, key_len - 2);
		ret->key[key_len - 2] = '\0';
	}
}

/*
 * The "): " that ends the stamp: within its first bytes for any stamp the
 * kernel writes (at most 44), so the record is not searched end to end.
 */
static const char *find_fields(const char *body, size_t len)
{
	const char *at = memmem(body, len < 64 ? len : 64, "): ", 3);

	return at ? at : memmem(body, len, "): ", 3);
}

int audit_event_add_line(struct audit_event *event, const char *prefix, size_t prefix_len, int type,
			 const char *name, const char *body, size_t body_len)
{
	size_t name_len = strlen(name), head_len, used, start = event->len;
	struct audit_record *record;
	const char *fields_at;
	char *out;
	int r;

	head_len = prefix_len + strlen("type=") + name_len + strlen(" msg=");
	r = reserve(event, head_len + body_len + 1);
	if (r == 0)
		r = reserve_record(event);
	if (r < 0)
		return r;
	out = event->bytes + start;
	memcpy(out, prefix, prefix_len);
	used = prefix_len;
	memcpy(out + used, "type=", 5);
	used += 5;
	memcpy(out + used, name, name_len);
	used += name_len;
	memcpy(out + used, " msg=", 5);
	used += 5;
	memcpy(out + used, body, body_len);
	for (char *p = out + used; (p = memchr(p, '\n', body_len - (size_t)(p - (out + used))));)
		*p++ = ' ';
	for (char *p = out + used; (p = memchr(p, '\0', body_len - (size_t)(p - (out + used))));)
		*p++ = ' ';
	used += body_len;
	fields_at = find_fields(out + head_len, used - head_len);
	/* A trailing space goes, but for the header's own when the body is empty. */
	if (out[used - 1] == ' ' && !(fields_at && fields_at + 3 == out + used))
		used--;
	out[used++] = '\n';

	record = &event->records[event->count++];
	record->line = (uint32_t)start;
	record->line_len = (uint32_t)used;
	record->text = (uint32_t)(start + prefix_len);
	record->type = (uint16_t)type;
	record->target = type == AUDIT_OBJ_PID;
	if (fields_at && fields_at + 3 > out + used - 1)
		fields_at = NULL;
	record->fields =
		fields_at ? (uint32_t)(fields_at + 3 - event->bytes) : (uint32_t)(start + used - 1);
	if (record->fields > start + used - 1)
		record->fields = (uint32_t)(start + used - 1);
	event->len = start + used;

	{
		const char *fields = event->bytes + record->fields;
		size_t fields_len = start + used - 1 - record->fields;
		size_t value_len;
		const char *pid = canister_audit_field(fields, fields_len,
						       record->target ? "opid" : "pid", &value_len);

		record->pid = pid ? positive_pid(pid, value_len) : 0;
		if (type == AUDIT_SYSCALL && !event->syscall_seen) {
			event->syscall_seen = true;
			read_facts(fields, fields_len, &event->facts);
		}
	}
	return 0;
}

/* 1 to @max digits at *@p (below @end), advancing it, as an unsigned number without overflow. */
static bool parse_digits(const char **p, const char *end, int max, uint64_t *ret)
{
	uint64_t value = 0;
	int digits = 0;

	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
		unsigned int d = (unsigned int)(**p - '0');

		if (++digits > max || value > (UINT64_MAX - d) / 10)
			return false;
		value = value * 10 + d;
	}
	*ret = value;
	return digits > 0;
}

size_t canister_audit_parse_stamp(const char *text, size_t len,
				  struct canister_record_stamp *ret_stamp)
{
	const char *p = text, *end = text + len;
	uint64_t sec, msec, serial;

	if (len < 6 || memcmp(p, "audit(", 6) != 0)
		return 0;
	p += 6;
	if (!parse_digits(&p, end, SEC_DIGITS_MAX, &sec) || p >= end || *p++ != '.')
		return 0;
	if (end - p < 3 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] < '0' ||
	    p[2] > '9')
		return 0;
	msec = (uint64_t)(p[0] - '0') * 100 + (uint64_t)(p[1] - '0') * 10 + (uint64_t)(p[2] - '0');
	p += 3;
	if (p >= end || *p++ != ':' || !parse_digits(&p, end, SERIAL_DIGITS_MAX, &serial))
		return 0;
	if (end - p < 2 || p[0] != ')' || p[1] != ':' || (end - p > 2 && p[2] != ' '))
		return 0;
	ret_stamp->sec = (int64_t)sec;
	ret_stamp->msec = (uint32_t)msec;
	ret_stamp->serial = serial;
	return (size_t)(p + 2 - text);
}
