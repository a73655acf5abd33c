// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reading `key = value` files (canisterd's config, plugin confs) line by line. */
#include "lib/kv_lines.h"

#include "lib/why.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void canister_kv_error(char *err, size_t err_len, const char *source, unsigned int line,
		       const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !err_len)
		return;
	n = snprintf(err, err_len, "%s:%u: ", source, line);
	if (n < 0 || (size_t)n >= err_len)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, err_len - n, fmt, ap);
	va_end(ap);
	/* Keys and values come from the file. */
	canister_why_printable(err);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int canister_kv_begin(struct canister_kv_reader *reader, const char *text, size_t len,
		      const char *source, char *err, size_t err_len)
{
	const char *nul = memchr(text, '\0', len);

	reader->p = text;
	reader->end = text + len;
	reader->source = source;
	reader->line_no = 0;
	if (nul) {
		unsigned int line_no = 1;

		/* Point at the line that holds it, as every other message does. */
		for (const char *p = text; p < nul; p++)
			line_no += *p == '\n';
		canister_kv_error(err, err_len, source, line_no,
				  "contains a NUL byte; not a text file");
		return -EINVAL;
	}
	return 0;
}

int canister_kv_next(struct canister_kv_reader *reader, char **ret_key, char **ret_value, char *err,
		     size_t err_len)
{
	while (reader->p < reader->end) {
		const char *eol = memchr(reader->p, '\n', reader->end - reader->p);
		size_t n = (eol ? eol : reader->end) - reader->p;
		char *key, *key_end, *value, *value_end;

		reader->line_no++;
		if (n >= sizeof(reader->line)) {
			canister_kv_error(err, err_len, reader->source, reader->line_no,
					  "line is longer than %zu bytes",
					  sizeof(reader->line) - 1);
			return -EINVAL;
		}
		memcpy(reader->line, reader->p, n);
		reader->line[n] = '\0';
		reader->p += n + (eol ? 1 : 0);

		key = reader->line;
		while (is_blank(*key))
			key++;
		if (*key == '\0' || *key == '#' || (*key == '\r' && key[1] == '\0'))
			continue;

		key_end = key;
		while (is_key_char(*key_end))
			key_end++;
		value = key_end;
		while (is_blank(*value))
			value++;
		if (key_end == key || *value != '=') {
			canister_kv_error(err, err_len, reader->source, reader->line_no,
					  "expected 'key = value'");
			return -EINVAL;
		}
		*key_end = '\0';
		value++;
		while (is_blank(*value))
			value++;
		value_end = value + strlen(value);
		while (value_end > value && (is_blank(value_end[-1]) || value_end[-1] == '\r'))
			value_end--;
		*value_end = '\0';
		*ret_key = key;
		*ret_value = value;
		return 1;
	}
	return 0;
}
