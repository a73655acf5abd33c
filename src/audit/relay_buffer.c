// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: canister-audisp's bounded queue of auditd's lines, whole lines only, losses marked. */
#include "audit/relay_buffer.h"

#include "audit/auditd_line.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int relay_buffer_init(struct relay_buffer *b, size_t capacity)
{
	memset(b, 0, sizeof(*b));
	if (capacity < 2 * RELAY_LINE_MAX)
		return -EINVAL;
	b->data = malloc(capacity);
	b->partial = malloc(RELAY_LINE_MAX);
	if (!b->data || !b->partial) {
		relay_buffer_free(b);
		return -ENOMEM;
	}
	b->capacity = capacity;
	return 0;
}

void relay_buffer_free(struct relay_buffer *b)
{
	free(b->data);
	free(b->partial);
	memset(b, 0, sizeof(*b));
}

static void drop_line(struct relay_buffer *b)
{
	b->lost++;
	b->lost_total++;
}

/*
 * Room for @need more bytes at the end, moving what is pending to the front
 * if that gives it.  Once full, lines are kept again only below three
 * quarters: otherwise the short records of an event (an EOE) would slip in
 * between the long ones dropped, and events would arrive cut.
 */
static bool room_for(struct relay_buffer *b, size_t need)
{
	size_t pending = b->len - b->head;

	if (b->full && pending > b->capacity - b->capacity / 4)
		return false;
	b->full = pending + need > b->capacity;
	if (b->full)
		return false;
	if (b->len + need > b->capacity) {
		memmove(b->data, b->data + b->head, b->len - b->head);
		b->len -= b->head;
		b->head = 0;
	}
	return true;
}

/* "canister-audisp lost=N\n" for what was dropped since the last one; 0 when nothing was. */
static int format_note(const struct relay_buffer *b, char *note, size_t size)
{
	return b->lost ? snprintf(note, size, AUDITD_LINE_RELAY_LOST "%" PRIu64 "\n", b->lost) : 0;
}

/* One whole line, newline included, in one or two pieces. */
static void queue_line(struct relay_buffer *b, const char *first, size_t first_len,
		       const char *second, size_t second_len)
{
	char note[64];
	int note_len = format_note(b, note, sizeof(note));

	if (!room_for(b, (size_t)note_len + first_len + second_len)) {
		drop_line(b);
		return;
	}
	memcpy(b->data + b->len, note, (size_t)note_len);
	b->len += (size_t)note_len;
	b->lost = 0;
	memcpy(b->data + b->len, first, first_len);
	b->len += first_len;
	memcpy(b->data + b->len, second, second_len);
	b->len += second_len;
	b->lines_total++;
}

void relay_buffer_take(struct relay_buffer *b, const char *bytes, size_t len)
{
	while (len) {
		const char *newline = memchr(bytes, '\n', len);
		size_t piece = newline ? (size_t)(newline - bytes) + 1 : len;

		if (b->skipping) {
			/* The rest of a line already counted as dropped. */
			b->skipping = !newline;
		} else if (b->partial_len + piece > RELAY_LINE_MAX) {
			drop_line(b);
			b->partial_len = 0;
			b->skipping = !newline;
		} else if (!newline) {
			memcpy(b->partial + b->partial_len, bytes, piece);
			b->partial_len += piece;
		} else {
			queue_line(b, b->partial, b->partial_len, bytes, piece);
			b->partial_len = 0;
		}
		bytes += piece;
		len -= piece;
	}
}

const char *relay_buffer_pending(const struct relay_buffer *b, size_t *ret_len)
{
	*ret_len = b->len - b->head;
	return *ret_len ? b->data + b->head : NULL;
}

void relay_buffer_sent(struct relay_buffer *b, size_t n)
{
	if (n > b->len - b->head)
		n = b->len - b->head;
	b->head += n;
	b->sent_in_part = b->head && b->data[b->head - 1] != '\n';
	if (b->head == b->len)
		b->head = b->len = 0;
	/* The loss is told as soon as there is room, not only when another line comes. */
	if (b->lost) {
		char note[64];
		int note_len = format_note(b, note, sizeof(note));

		if (room_for(b, (size_t)note_len)) {
			memcpy(b->data + b->len, note, (size_t)note_len);
			b->len += (size_t)note_len;
			b->lost = 0;
		}
	}
}

void relay_buffer_reconnected(struct relay_buffer *b)
{
	const char *newline;

	if (!b->sent_in_part)
		return;
	/* Every queued line ends in a newline: the rest of this one does. */
	newline = memchr(b->data + b->head, '\n', b->len - b->head);
	drop_line(b);
	relay_buffer_sent(b, (size_t)(newline - (b->data + b->head)) + 1);
}
