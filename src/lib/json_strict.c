// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: strict readers of JSON documents (exact types, ranges, no unknown members). */
#include "lib/json_strict.h"

#include "lib/contid.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int canister_json_refuse(struct canister_json_reader *reader, const char *member, const char *fmt,
			 ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (reader->err && reader->err_len) {
		const char *dot = reader->where[0] && member ? "." : "";

		if (reader->where[0] || member)
			snprintf(reader->err, reader->err_len, "%s%s%s: %s", reader->where, dot,
				 member ? member : "", what);
		else
			snprintf(reader->err, reader->err_len, "%s", what);
	}
	return -EPROTO;
}

void canister_json_enter(struct canister_json_reader *reader, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reader->where, sizeof(reader->where), fmt, ap);
	va_end(ap);
}

/* Whether the digits of an integer literal name a number above @limit (of the same digits). */
static bool above(const char *digits, size_t n, const char *limit)
{
	size_t limit_len = strlen(limit);

	return n > limit_len || (n == limit_len && memcmp(digits, limit, n) > 0);
}

/*
 * json-c saturates integer literals beyond 64 bits without a word: 2^64
 * would read as 2^64-1.  So they are looked for in the text (outside
 * strings) before it is parsed.
 */
static bool has_out_of_range_integer(const char *buf, size_t len)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		size_t start, end;
		bool negative, fraction = false;

		if (in_string) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_string = false;
			continue;
		}
		if (buf[i] == '"') {
			in_string = true;
			continue;
		}
		if (buf[i] != '-' && (buf[i] < '0' || buf[i] > '9'))
			continue;
		negative = buf[i] == '-';
		start = negative ? i + 1 : i;
		for (end = start; end < len && buf[end] >= '0' && buf[end] <= '9'; end++)
			;
		for (i = end; i < len && buf[i] && strchr("0123456789.eE+-", buf[i]); i++)
			fraction = true;
		i--;
		/* A number with a fraction or an exponent is a double, which no reader takes. */
		if (fraction)
			continue;
		if (above(buf + start, end - start,
			  negative ? "9223372036854775808" : "18446744073709551615"))
			return true;
	}
	return false;
}

int canister_json_parse(struct canister_json_reader *reader, const char *buf, size_t len, int depth,
			struct json_object **ret_value)
{
	struct json_tokener *tokener;
	struct json_object *value;
	size_t end;

	if (len == 0 || memchr(buf, '\0', len))
		return canister_json_refuse(reader, NULL, "empty, or contains a NUL byte");
	if (has_out_of_range_integer(buf, len))
		return canister_json_refuse(reader, NULL, "an integer beyond 64 bits");
	tokener = json_tokener_new_ex(depth);
	if (!tokener)
		return -ENOMEM;
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
	value = json_tokener_parse_ex(tokener, buf, (int)len);
	if (!value) {
		enum json_tokener_error jerr = json_tokener_get_error(tokener);

		json_tokener_free(tokener);
		/* A whole datagram that leaves the parser wanting more is truncated. */
		return canister_json_refuse(reader, NULL, "not valid JSON: %s",
					    jerr == json_tokener_continue
						    ? "unexpected end of input"
						    : json_tokener_error_desc(jerr));
	}
	end = json_tokener_get_parse_end(tokener);
	json_tokener_free(tokener);
	while (end < len &&
	       (buf[end] == ' ' || buf[end] == '\n' || buf[end] == '\t' || buf[end] == '\r'))
		end++;
	if (end != len) {
		json_object_put(value);
		return canister_json_refuse(reader, NULL, "data after the JSON value");
	}
	*ret_value = value;
	return 0;
}

int canister_json_members(struct canister_json_reader *reader, struct json_object *object,
			  const char *const *allowed)
{
	if (!json_object_is_type(object, json_type_object))
		return canister_json_refuse(reader, NULL, "not an object");
	json_object_object_foreach(object, key, value)
	{
		size_t i;

		(void)value;
		for (i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (!allowed[i])
			return canister_json_refuse(reader, NULL, "unknown member \"%.64s\"", key);
	}
	return 0;
}

static int member(struct canister_json_reader *reader, struct json_object *object, const char *key,
		  struct json_object **ret_value)
{
	if (!json_object_object_get_ex(object, key, ret_value))
		return canister_json_refuse(reader, key, "missing");
	return 0;
}

int canister_json_object(struct canister_json_reader *reader, struct json_object *object,
			 const char *key, struct json_object **ret_object)
{
	struct json_object *value;

	if (member(reader, object, key, &value) < 0)
		return -EPROTO;
	if (!json_object_is_type(value, json_type_object))
		return canister_json_refuse(reader, key, "not an object");
	*ret_object = value;
	return 0;
}

int canister_json_array(struct canister_json_reader *reader, struct json_object *object,
			const char *key, size_t max, struct json_object **ret_array,
			size_t *ret_length)
{
	struct json_object *value;
	size_t length;

	if (member(reader, object, key, &value) < 0)
		return -EPROTO;
	if (!json_object_is_type(value, json_type_array))
		return canister_json_refuse(reader, key, "not an array");
	length = json_object_array_length(value);
	if (length > max)
		return canister_json_refuse(reader, key, "more than %zu elements", max);
	*ret_array = value;
	*ret_length = length;
	return 0;
}

int canister_json_string_value(struct canister_json_reader *reader, struct json_object *value,
			       const char *what, char *buf, size_t size)
{
	const char *text;
	size_t len;

	if (!json_object_is_type(value, json_type_string))
		return canister_json_refuse(reader, what, "not a string");
	text = json_object_get_string(value);
	len = (size_t)json_object_get_string_len(value);
	if (strlen(text) != len)
		return canister_json_refuse(reader, what, "contains a NUL character");
	if (len >= size)
		return canister_json_refuse(reader, what, "longer than %zu bytes", size - 1);
	memcpy(buf, text, len + 1);
	return 0;
}

int canister_json_string(struct canister_json_reader *reader, struct json_object *object,
			 const char *key, bool required, char *buf, size_t size)
{
	struct json_object *value;

	if (!json_object_object_get_ex(object, key, &value)) {
		if (required)
			return canister_json_refuse(reader, key, "missing");
		buf[0] = '\0';
		return 0;
	}
	return canister_json_string_value(reader, value, key, buf, size);
}

int canister_json_bool(struct canister_json_reader *reader, struct json_object *object,
		       const char *key, bool *ret_value)
{
	struct json_object *value;

	if (member(reader, object, key, &value) < 0)
		return -EPROTO;
	if (!json_object_is_type(value, json_type_boolean))
		return canister_json_refuse(reader, key, "not true or false");
	*ret_value = json_object_get_boolean(value);
	return 0;
}

int canister_json_int(struct canister_json_reader *reader, struct json_object *object,
		      const char *key, int64_t min, int64_t max, int64_t *ret_value)
{
	struct json_object *value;
	int64_t number;

	if (member(reader, object, key, &value) < 0)
		return -EPROTO;
	if (!json_object_is_type(value, json_type_int))
		return canister_json_refuse(reader, key, "not an integer");
	number = json_object_get_int64(value);
	/* json-c reads 2^63..2^64-1 as INT64_MAX; the u64 reading tells them apart. */
	if (number == INT64_MAX && json_object_get_uint64(value) != (uint64_t)INT64_MAX)
		return canister_json_refuse(reader, key, "not in %" PRId64 "..%" PRId64, min, max);
	if (number < min || number > max)
		return canister_json_refuse(reader, key, "not in %" PRId64 "..%" PRId64, min, max);
	*ret_value = number;
	return 0;
}

int canister_json_u64(struct canister_json_reader *reader, struct json_object *object,
		      const char *key, uint64_t *ret_value)
{
	struct json_object *value;
	uint64_t number;

	if (member(reader, object, key, &value) < 0)
		return -EPROTO;
	if (!json_object_is_type(value, json_type_int))
		return canister_json_refuse(reader, key, "not an integer");
	/* Above INT64_MAX json-c keeps a u64; below 0 its u64 reading would say 0. */
	if (json_object_get_int64(value) < 0)
		return canister_json_refuse(reader, key, "negative");
	number = json_object_get_uint64(value);
	*ret_value = number;
	return 0;
}

int canister_json_contid_value(struct canister_json_reader *reader, struct json_object *value,
			       const char *what, bool unset_ok, uint64_t *ret_contid)
{
	char text[32];

	if (canister_json_string_value(reader, value, what, text, sizeof(text)) < 0)
		return -EPROTO;
	if (unset_ok && strcmp(text, "unset") == 0) {
		*ret_contid = CANISTER_CONTID_UNSET;
		return 0;
	}
	if (canister_parse_contid(text, ret_contid) < 0)
		return canister_json_refuse(reader, what,
					    "not a decimal contid in 0..18446744073709551614%s",
					    unset_ok ? " or \"unset\"" : "");
	return 0;
}

int canister_json_contid(struct canister_json_reader *reader, struct json_object *object,
			 const char *key, bool unset_ok, uint64_t *ret_contid)
{
	struct json_object *value;

	if (member(reader, object, key, &value) < 0)
		return -EPROTO;
	return canister_json_contid_value(reader, value, key, unset_ok, ret_contid);
}

struct json_object *canister_json_new_contid(uint64_t contid)
{
	char text[24];

	if (contid == CANISTER_CONTID_UNSET)
		return json_object_new_string("unset");
	snprintf(text, sizeof(text), "%" PRIu64, contid);
	return json_object_new_string(text);
}

bool canister_json_put(struct json_object *object, const char *key, struct json_object *value)
{
	if (!object || !value || json_object_object_add(object, key, value) < 0) {
		json_object_put(value);
		return false;
	}
	return true;
}

bool canister_json_append(struct json_object *array, struct json_object *value)
{
	if (!array || !value || json_object_array_add(array, value) < 0) {
		json_object_put(value);
		return false;
	}
	return true;
}

bool canister_string_bounded(const char *text, size_t size)
{
	return memchr(text, '\0', size) != NULL;
}
