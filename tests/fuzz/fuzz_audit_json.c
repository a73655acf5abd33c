// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_audit_json_format() on arbitrary bytes, with its invariants.
 */
#include "audit/json.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The input is one record.  Either it is refused with -EINVAL and the buffer
 * holds "", or the line is one strict JSON object with the promised keys in
 * order, exactly as long as returned, that rebuilds the input byte for byte;
 * "text_hex" comes exactly when the body is not UTF-8, every field is
 * written in the body as NAME=VALUE, NAME="VALUE" or NAME='VALUE', and one
 * byte less of buffer gives -ENOSPC.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *line)
{
	fprintf(stderr, "invariant broken: %s\n%s\n", what, line ? line : "");
	abort();
}

/*
 * UTF-8 checked another way than the library does: decode each sequence to
 * its code point, then insist that it is a scalar value and that encoding it
 * again gives the same bytes (which rules out overlong forms).
 */
static bool utf8_by_reencoding(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char lead = s[i], again[4];
		size_t n = lead < 0x80	     ? 1
			   : lead >> 5 == 6  ? 2
			   : lead >> 4 == 14 ? 3
			   : lead >> 3 == 30 ? 4
					     : 0;
		uint32_t cp;
		size_t m;

		if (n == 0 || len - i < n)
			return false;
		cp = n == 1 ? lead : lead & (0x7f >> n);
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		if (cp < 0x80) {
			again[0] = (unsigned char)cp;
			m = 1;
		} else if (cp < 0x800) {
			again[0] = (unsigned char)(0xc0 | cp >> 6);
			again[1] = (unsigned char)(0x80 | (cp & 0x3f));
			m = 2;
		} else if (cp < 0x10000) {
			again[0] = (unsigned char)(0xe0 | cp >> 12);
			again[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			again[2] = (unsigned char)(0x80 | (cp & 0x3f));
			m = 3;
		} else {
			again[0] = (unsigned char)(0xf0 | cp >> 18);
			again[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
			again[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			again[3] = (unsigned char)(0x80 | (cp & 0x3f));
			m = 4;
		}
		if (m != n || memcmp(again, s + i, n) != 0)
			return false;
		i += n;
	}
	return true;
}

static bool contains(const char *haystack, size_t len, const char *needle, size_t needle_len)
{
	return memmem(haystack, len, needle, needle_len) != NULL;
}

/* NAME=VALUE, NAME="VALUE" or NAME='VALUE' somewhere in the body. */
static bool field_written(const char *body, size_t body_len, const char *name,
			  struct json_object *value)
{
	size_t name_len = strlen(name), value_len = (size_t)json_object_get_string_len(value);
	char *forms = malloc(name_len + value_len + 3);
	bool found = false;

	if (!forms)
		abort();
	memcpy(forms, name, name_len);
	forms[name_len] = '=';
	memcpy(forms + name_len + 1, json_object_get_string(value), value_len);
	found = contains(body, body_len, forms, name_len + 1 + value_len);
	for (const char *q = "\"'"; *q && !found; q++) {
		forms[name_len + 1] = *q;
		memcpy(forms + name_len + 2, json_object_get_string(value), value_len);
		forms[name_len + 2 + value_len] = *q;
		found = contains(body, body_len, forms, name_len + 3 + value_len);
	}
	free(forms);
	return found;
}

static int hex_digit(char c, const char *line)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	broken("text_hex not uppercase hex", line);
	return -1;
}

static void append(char **p, struct json_object *string, const char *line)
{
	if (!json_object_is_type(string, json_type_string))
		broken("not a string", line);
	memcpy(*p, json_object_get_string(string), (size_t)json_object_get_string_len(string));
	*p += json_object_get_string_len(string);
}

static void check_line(const char *record, size_t size, const char *line, size_t len)
{
	static const char *const keys[] = { "node", "type", "time", "serial", "fields", "text" };
	struct json_tokener *tok = json_tokener_new();
	struct json_object *object, *value, *fields = NULL;
	struct json_object_iterator it, end;
	char *rebuilt, *p;
	const char *body;
	size_t key = 0, body_len;
	bool hex = false;

	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	object = json_tokener_parse_ex(tok, line, (int)len - 1);
	if (!object || json_tokener_get_parse_end(tok) != len - 1)
		broken("not one strict JSON value", line);
	json_tokener_free(tok);
	if (!json_object_is_type(object, json_type_object))
		broken("not an object", line);

	it = json_object_iter_begin(object);
	end = json_object_iter_end(object);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);

		if (strcmp(name, "text_hex") == 0 && key <= 4) {
			key = 6;
			hex = true;
			continue;
		}
		while (key < 6 && strcmp(keys[key], name) != 0)
			key++;
		if (key++ == 6)
			broken("key unexpected or out of order", line);
	}
	if (key != 6 || !json_object_object_get_ex(object, "type", NULL) ||
	    !json_object_object_get_ex(object, "time", NULL) ||
	    !json_object_object_get_ex(object, "serial", NULL) ||
	    json_object_object_get_ex(object, "fields", &fields) == hex)
		broken("a key missing", line);

	rebuilt = malloc(len + 64);
	if (!rebuilt)
		abort();
	p = rebuilt;
	if (json_object_object_get_ex(object, "node", &value)) {
		memcpy(p, "node=", 5);
		p += 5;
		append(&p, value, line);
		*p++ = ' ';
	}
	memcpy(p, "type=", 5);
	p += 5;
	json_object_object_get_ex(object, "type", &value);
	append(&p, value, line);
	memcpy(p, " msg=audit(", 11);
	p += 11;
	json_object_object_get_ex(object, "time", &value);
	append(&p, value, line);
	json_object_object_get_ex(object, "serial", &value);
	if (!json_object_is_type(value, json_type_int))
		broken("serial not an integer", line);
	p += sprintf(p, ":%" PRIu64 "): ", json_object_get_uint64(value));
	body = p;
	if (hex) {
		const char *digits;
		size_t n;

		json_object_object_get_ex(object, "text_hex", &value);
		if (!json_object_is_type(value, json_type_string))
			broken("text_hex not a string", line);
		digits = json_object_get_string(value);
		n = (size_t)json_object_get_string_len(value);
		if (n % 2)
			broken("text_hex of an odd length", line);
		for (size_t i = 0; i < n; i += 2)
			*p++ = (char)(hex_digit(digits[i], line) << 4 |
				      hex_digit(digits[i + 1], line));
	} else {
		json_object_object_get_ex(object, "text", &value);
		append(&p, value, line);
	}
	body_len = (size_t)(p - body);
	if ((size_t)(p - rebuilt) != size || memcmp(rebuilt, record, size) != 0)
		broken("the line does not rebuild the record", line);
	if (utf8_by_reencoding((const unsigned char *)body, body_len) == hex)
		broken(hex ? "text_hex for a UTF-8 body" : "text for a body that is not UTF-8",
		       line);

	if (fields) {
		if (!json_object_is_type(fields, json_type_object))
			broken("fields not an object", line);
		json_object_object_foreach(fields, name, field_value)
		{
			if (!json_object_is_type(field_value, json_type_string))
				broken("a field not a string", line);
			if (!field_written(body, body_len, name, field_value))
				broken("a field the body does not hold", line);
		}
	}
	free(rebuilt);
	json_object_put(object);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *record = (const char *)data;
	size_t buf_len = CANISTER_AUDIT_JSON_MAX(size);
	char *buf = malloc(buf_len);
	int r;

	if (!buf)
		abort();
	memset(buf, 'X', buf_len);
	r = canister_audit_json_format(record, size, buf, buf_len);
	if (r < 0) {
		if (r != -EINVAL)
			broken("an error other than -EINVAL with CANISTER_AUDIT_JSON_MAX bytes",
			       NULL);
		if (buf[0] != '\0')
			broken("a refused record left something in the buffer", NULL);
		free(buf);
		return 0;
	}
	if (r == 0 || (size_t)r >= buf_len || buf[r] != '\0' || strlen(buf) != (size_t)r ||
	    buf[r - 1] != '\n' || memchr(buf, '\n', (size_t)r - 1))
		broken("not one line of the length returned", buf);
	check_line(record, size, buf, (size_t)r);

	/* Exactly the line and its NUL: one byte less is -ENOSPC, leaving "". */
	{
		char *exact = malloc((size_t)r + 1);

		if (!exact)
			abort();
		if (canister_audit_json_format(record, size, exact, (size_t)r) != -ENOSPC ||
		    exact[0] != '\0')
			broken("no -ENOSPC one byte short", buf);
		if (canister_audit_json_format(record, size, exact, (size_t)r + 1) != r ||
		    memcmp(exact, buf, (size_t)r + 1) != 0)
			broken("a different line the second time", buf);
		free(exact);
	}
	free(buf);
	return 0;
}
