// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: auditd's plugin feed through canister-audisp's queue, and parsed. */
#include "audit/auditd_line.h"
#include "audit/relay_buffer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The input is what auditd writes to the plugin, read in pieces whose sizes
 * come from its first byte.  Checked:
 *   - the queue (large enough never to fill here) gives back exactly the
 *     input's whole lines of at most RELAY_LINE_MAX bytes, in order; a
 *     longer one is replaced by the note "canister-audisp lost=N" before the
 *     next line kept; a trailing partial line stays queued;
 *   - each line given back parses, or is refused with -EINVAL only; an
 *     accepted record's body lies inside its line, holds no 0x1d and no NUL,
 *     and the line holds "type=" and " msg=" right before it; its type is
 *     1..65535; an accepted note's count is what was lost.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what)
{
	fprintf(stderr, "invariant broken: %s\n", what);
	abort();
}

static void check_line(const char *line, size_t len)
{
	struct auditd_line parsed;
	int r = auditd_line_parse(line, len, &parsed);

	if (r == -EINVAL)
		return;
	if (r != 0)
		broken("error other than -EINVAL");
	if (parsed.kind == AUDITD_LINE_LOST)
		return;
	if (parsed.kind != AUDITD_LINE_RECORD || parsed.type < 1 || parsed.type > 0xffff)
		broken("kind or type out of range");
	if (parsed.body < line + 5 + 5 || parsed.body + parsed.body_len > line + len)
		broken("body outside its line");
	if (memchr(parsed.body, 0x1d, parsed.body_len) ||
	    memchr(parsed.body, '\0', parsed.body_len))
		broken("body holds 0x1d or NUL");
	if (memcmp(parsed.body - 5, " msg=", 5) != 0 || !memmem(line, len, "type=", 5))
		broken("no \"type=NAME msg=\" before the body");
}

/* The lines the queue should give back, notes included, written out. */
static size_t model(const uint8_t *data, size_t size, char *out)
{
	size_t used = 0, start = 0;
	uint64_t lost = 0;

	for (size_t i = 0; i < size; i++) {
		size_t line_len = i - start + 1;

		if (data[i] != '\n')
			continue;
		if (line_len > RELAY_LINE_MAX) {
			lost++;
		} else {
			if (lost)
				used += (size_t)sprintf(out + used,
							"canister-audisp lost=%" PRIu64 "\n", lost);
			lost = 0;
			memcpy(out + used, data + start, line_len);
			used += line_len;
		}
		start = i + 1;
	}
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct relay_buffer queue;
	size_t piece, expected_len, got_len;
	const char *got;
	char *expected;

	if (size < 1)
		return 0;
	piece = (size_t)data[0] + 1;
	data++;
	size--;
	if (relay_buffer_init(&queue, 4 * size + 2 * RELAY_LINE_MAX) < 0)
		return 0;
	for (size_t at = 0; at < size; at += piece)
		relay_buffer_take(&queue, (const char *)data + at,
				  size - at < piece ? size - at : piece);
	expected = malloc(2 * size + 64);
	if (!expected)
		abort();
	expected_len = model(data, size, expected);
	got = relay_buffer_pending(&queue, &got_len);
	if (got_len != expected_len || (got_len && memcmp(got, expected, got_len) != 0))
		broken("the queue does not give back the input's whole lines");
	for (size_t at = 0; at < got_len;) {
		const char *newline = memchr(got + at, '\n', got_len - at);

		if (!newline)
			broken("a queued line without its newline");
		check_line(got + at, (size_t)(newline - (got + at)) + 1);
		at = (size_t)(newline - got) + 1;
	}
	free(expected);
	relay_buffer_free(&queue);
	return 0;
}
