/* SPDX-License-Identifier: GPL-2.0-only */
/* canister libFuzzer harnesses: the invariant checks several parsers' harnesses share. */
#ifndef CANISTER_FUZZ_CHECK_H
#define CANISTER_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant broken: what, and the parser's message; abort() so libFuzzer keeps the input. */
static void broken(const char *what, const char *why)
{
	fprintf(stderr, "invariant broken: %s (why \"%s\")\n", what, why);
	abort();
}

/* The lines of an input as a line parser counts them: one more than its newlines. */
static unsigned long input_lines(const unsigned char *data, size_t size)
{
	unsigned long lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	return lines;
}

/*
 * A line parser's refusal, "SOURCE:LINE: reason": NUL-terminated within
 * @why_size, 1 <= LINE <= @lines (the input's), a reason after ": ", and one
 * printable line (no control byte that could forge a log line).
 */
static void check_line_error(const char *source, const char *why, size_t why_size,
			     unsigned long lines)
{
	size_t source_len = strlen(source);
	const char *p = why + source_len + 1;
	unsigned long line;
	char *end;

	if (!memchr(why, '\0', why_size))
		broken("message not NUL-terminated", "");
	if (strncmp(why, source, source_len) != 0 || why[source_len] != ':')
		broken("message does not start with the source", why);
	if (*p < '1' || *p > '9')
		broken("message has no line number", why);
	line = strtoul(p, &end, 10);
	if (strncmp(end, ": ", 2) != 0 || end[2] == '\0')
		broken("message has no ': reason' after the line number", why);
	if (line > lines)
		broken("message names a line the input does not have", why);
	for (p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			broken("message holds a control byte", why);
}

#endif
