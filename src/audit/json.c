// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: one linux-audit text record as one JSON line, from which the record can be rebuilt. */
#include "audit/json.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The kernel prints the seconds with %llu: at most 20 digits. */
#define SEC_DIGITS_MAX 20

/* The parts of "[node=NODE ]type=TYPE msg=audit(SEC.MSEC:SERIAL): BODY". */
struct record_parts {
	const char *node; /* NULL: the record has no node= */
	size_t node_len;
	const char *type;
	size_t type_len;
	const char *time; /* "SEC.MSEC" */
	size_t time_len;
	uint64_t serial;
	const char *body;
	size_t body_len;
};

static bool has_prefix(const char *text, size_t len, const char *prefix)
{
	size_t prefix_len = strlen(prefix);

	return len >= prefix_len && memcmp(text, prefix, prefix_len) == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A NODE or TYPE word: printable ASCII up to the space that ends it.  Nothing
 * else can be told apart from the space after it, or put in JSON unchanged.
 * Returns the word's length, 0 when there is none.
 */
static size_t word_len(const char *text, size_t len)
{
	size_t n = 0;

	while (n < len && text[n] > ' ' && text[n] <= '~')
		n++;
	return n < len && text[n] == ' ' ? n : 0;
}

/*
 * SERIAL at @text, up to a non-digit: without leading zeros (its JSON number
 * is written back without them) and below 2^64.  Returns its length, 0 if none.
 */
static size_t parse_serial(const char *text, size_t len, uint64_t *ret_serial)
{
	uint64_t serial = 0;
	size_t n = 0;

	for (; n < len && is_digit(text[n]); n++) {
		unsigned int digit = (unsigned int)(text[n] - '0');

		if ((n == 1 && serial == 0) || serial > (UINT64_MAX - digit) / 10)
			return 0;
		serial = serial * 10 + digit;
	}
	if (n > 0)
		*ret_serial = serial;
	return n;
}

static int parse_header(const char *record, size_t len, struct record_parts *ret)
{
	const char *p = record, *end = record + len;
	size_t n;

	ret->node = NULL;
	ret->node_len = 0;
	if (has_prefix(p, (size_t)(end - p), "node=")) {
		p += strlen("node=");
		n = word_len(p, (size_t)(end - p));
		if (n == 0)
			return -EINVAL;
		ret->node = p;
		ret->node_len = n;
		p += n + 1;
	}
	if (!has_prefix(p, (size_t)(end - p), "type="))
		return -EINVAL;
	p += strlen("type=");
	n = word_len(p, (size_t)(end - p));
	if (n == 0)
		return -EINVAL;
	ret->type = p;
	ret->type_len = n;
	p += n + 1;

	if (!has_prefix(p, (size_t)(end - p), "msg=audit("))
		return -EINVAL;
	p += strlen("msg=audit(");
	ret->time = p;
	for (n = 0; p + n < end && is_digit(p[n]); n++)
		;
	if (n == 0 || n > SEC_DIGITS_MAX)
		return -EINVAL;
	p += n;
	/* Milliseconds as the kernel prints them, "%03lu". */
	if (end - p < 4 || p[0] != '.' || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]))
		return -EINVAL;
	p += 4;
	ret->time_len = (size_t)(p - ret->time);

	if (p == end || *p++ != ':')
		return -EINVAL;
	n = parse_serial(p, (size_t)(end - p), &ret->serial);
	if (n == 0)
		return -EINVAL;
	p += n;
	if (!has_prefix(p, (size_t)(end - p), "): "))
		return -EINVAL;
	p += strlen("): ");
	ret->body = p;
	ret->body_len = (size_t)(end - p);
	return 0;
}

/*
 * Well-formed UTF-8 as Unicode defines it (table 3-7): no overlong forms, no
 * surrogates, nothing above U+10FFFF, no sequence cut short.  JSON parsers
 * that check refuse anything else, and those that do not would each read it
 * their own way.
 */
static bool is_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		unsigned char min = 0x80, max = 0xbf;
		size_t more;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				min = 0xa0; /* below is overlong */
			else if (c == 0xed)
				max = 0x9f; /* above are the surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				min = 0x90; /* below is overlong */
			else if (c == 0xf4)
				max = 0x8f; /* above is past U+10FFFF */
		} else {
			return false;
		}
		if (len - i <= more || s[i + 1] < min || s[i + 1] > max)
			return false;
		for (size_t k = 2; k <= more; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += more + 1;
	}
	return true;
}

/* 0x1d parts the raw fields from those auditd's enriched format appends. */
static bool is_separator(char c)
{
	return c == ' ' || c == '\x1d';
}

static size_t skip_to_separator(const char *body, size_t len, size_t pos)
{
	while (pos < len && !is_separator(body[pos]))
		pos++;
	return pos;
}

/* Adds NAME=VALUE unless NAME is there already: the first one counts. */
static int add_field(struct json_object *fields, char *name, const char *value, size_t value_len)
{
	struct json_object *string;

	if (json_object_object_get_ex(fields, name, NULL))
		return 0;
	string = json_object_new_string_len(value, (int)value_len);
	if (!string)
		return -ENOMEM;
	if (json_object_object_add_ex(fields, name, string, JSON_C_OBJECT_ADD_KEY_IS_NEW) < 0) {
		json_object_put(string);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The body's NAME=VALUE tokens into @fields, as audit_json.h describes.
 * @scratch holds a copy of the body: names are NUL-terminated in it for
 * json-c, which takes keys as C strings.
 */
static int parse_fields(const char *body, size_t len, char *scratch, struct json_object *fields)
{
	size_t pos = 0;

	memcpy(scratch, body, len);
	while (pos < len) {
		size_t name, equals, value, value_end;
		int r;

		while (pos < len && is_separator(body[pos]))
			pos++;
		if (pos == len)
			break;
		name = pos;
		while (pos < len && !is_separator(body[pos]) && body[pos] != '=')
			pos++;
		if (pos == len || body[pos] != '=' || pos == name ||
		    memchr(body + name, '"', pos - name) || memchr(body + name, '\'', pos - name)) {
			pos = skip_to_separator(body, len, pos);
			continue;
		}
		equals = pos;
		value = equals + 1;

		if (value < len && body[value] == '"') {
			const char *close = memchr(body + value + 1, '"', len - value - 1);

			/* An open quote swallows the rest: nothing after it is surely a field. */
			if (!close)
				return 0;
			value_end = (size_t)(close - body);
			pos = value_end + 1;
			if (pos < len && !is_separator(body[pos])) {
				pos = skip_to_separator(body, len, pos);
				continue;
			}
			value++;
		} else if (value < len && body[value] == '\'') {
			/*
			 * A user record's msg='op=... acct="it's" res=1' holds
			 * spaces and may hold a quote (libaudit leaves ' alone);
			 * its own quote is the one the field ends with.
			 */
			value_end = value + 1;
			while (value_end < len &&
			       (body[value_end] != '\'' ||
				(value_end + 1 < len && !is_separator(body[value_end + 1]))))
				value_end++;
			if (value_end == len)
				return 0;
			pos = value_end + 1;
			value++;
		} else {
			value_end = skip_to_separator(body, len, value);
			pos = value_end;
		}

		scratch[equals] = '\0';
		r = add_field(fields, scratch + name, body + value, value_end - value);
		if (r < 0)
			return r;
	}
	return 0;
}

static struct json_object *new_hex_string(const char *bytes, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	struct json_object *string;
	char *hex = malloc(2 * len + 1);

	if (!hex)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = digits[(unsigned char)bytes[i] >> 4];
		hex[2 * i + 1] = digits[(unsigned char)bytes[i] & 0xf];
	}
	string = json_object_new_string_len(hex, (int)(2 * len));
	free(hex);
	return string;
}

/* Adds @value (NULL when its allocation failed) under @key; takes @value either way. */
static int add(struct json_object *object, const char *key, struct json_object *value)
{
	if (!value)
		return -ENOMEM;
	if (json_object_object_add_ex(object, key, value,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW |
					      JSON_C_OBJECT_ADD_CONSTANT_KEY) < 0) {
		json_object_put(value);
		return -ENOMEM;
	}
	return 0;
}

static int build_object(const struct record_parts *parts, struct json_object *object)
{
	struct json_object *serial;
	int r = 0;

	if (parts->node)
		r = add(object, "node",
			json_object_new_string_len(parts->node, (int)parts->node_len));
	if (r == 0)
		r = add(object, "type",
			json_object_new_string_len(parts->type, (int)parts->type_len));
	if (r == 0)
		r = add(object, "time",
			json_object_new_string_len(parts->time, (int)parts->time_len));
	if (r < 0)
		return r;
	/* int64 while it fits, so that readers without uint64 support read most serials. */
	if (parts->serial <= INT64_MAX)
		serial = json_object_new_int64((int64_t)parts->serial);
	else
		serial = json_object_new_uint64(parts->serial);
	r = add(object, "serial", serial);
	if (r < 0)
		return r;

	if (!is_utf8((const unsigned char *)parts->body, parts->body_len))
		return add(object, "text_hex", new_hex_string(parts->body, parts->body_len));

	{
		struct json_object *fields = json_object_new_object();
		char *scratch = malloc(parts->body_len + 1);

		if (!scratch) {
			json_object_put(fields);
			return -ENOMEM;
		}
		r = add(object, "fields", fields);
		if (r == 0)
			r = parse_fields(parts->body, parts->body_len, scratch, fields);
		free(scratch);
		if (r < 0)
			return r;
	}
	return add(object, "text", json_object_new_string_len(parts->body, (int)parts->body_len));
}

int canister_audit_json_format(const char *record, size_t len, char *buf, size_t buf_len)
{
	struct record_parts parts;
	struct json_object *object;
	const char *json;
	size_t json_len;
	int r;

	if (buf && buf_len > 0)
		buf[0] = '\0';
	if (!record || memchr(record, '\n', len) || memchr(record, '\0', len))
		return -EINVAL;
	if (len > CANISTER_AUDIT_JSON_RECORD_MAX)
		return -EINVAL;
	r = parse_header(record, len, &parts);
	if (r < 0)
		return r;

	object = json_object_new_object();
	if (!object)
		return -ENOMEM;
	r = build_object(&parts, object);
	if (r < 0)
		goto out;
	json = json_object_to_json_string_length(
		object, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &json_len);
	if (!json) {
		r = -ENOMEM;
		goto out;
	}
	/* The newline and the NUL. */
	if (!buf || buf_len < 2 || json_len > buf_len - 2) {
		r = -ENOSPC;
		goto out;
	}
	memcpy(buf, json, json_len);
	buf[json_len] = '\n';
	buf[json_len + 1] = '\0';
	r = (int)(json_len + 1);
out:
	json_object_put(object);
	return r;
}
