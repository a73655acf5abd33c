/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: reading `key = value` files (canisterd's config, plugin confs) line by line. */
#ifndef CANISTER_LIB_KV_LINES_H
#define CANISTER_LIB_KV_LINES_H

#include <stddef.h>

/* Longest line taken, its newline aside. */
#define CANISTER_KV_LINE_MAX 1023

struct canister_kv_reader {
	const char *p, *end;
	const char *source;   /* names the text in messages */
	unsigned int line_no; /* of the line last read */
	char line[CANISTER_KV_LINE_MAX + 1];
};

/* canister_kv_error() - "SOURCE:LINE: " and the message, into @err (NULL or 0 bytes: nothing). */
void canister_kv_error(char *err, size_t err_len, const char *source, unsigned int line,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * canister_kv_begin() - start reading @text.  Text holding a NUL byte is
 * refused: -EINVAL, "SOURCE:LINE: contains a NUL byte; not a text file".
 */
int canister_kv_begin(struct canister_kv_reader *reader, const char *text, size_t len,
		      const char *source, char *err, size_t err_len);

/*
 * canister_kv_next() - the next `key = value` line, blank and '#' lines
 * skipped.  Keys are [a-z0-9_]; blanks around the '=' and at the ends, and a
 * trailing '\r', are dropped.  *ret_key and *ret_value point into the reader
 * until the next call.  Returns 1, 0 at the end of the text, or -EINVAL with
 * "SOURCE:LINE: line is longer than 1023 bytes" or "... expected 'key = value'".
 */
int canister_kv_next(struct canister_kv_reader *reader, char **ret_key, char **ret_value, char *err,
		     size_t err_len);

#endif
