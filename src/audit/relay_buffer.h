/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: canister-audisp's bounded queue of auditd's lines, whole lines only, losses marked. */
#ifndef CANISTER_AUDIT_RELAY_BUFFER_H
#define CANISTER_AUDIT_RELAY_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * canister-audisp reads auditd's plugin feed at once, always (a plugin that
 * does not read stalls auditd's dispatcher, then auditd itself: each event
 * auditd cannot queue costs its main loop up to 8 ms), and hands it to
 * canisterd when canisterd takes it.  Between the two sits this queue:
 *
 *   - bytes come in as read, lines go out whole: a line is queued once its
 *     newline has come; a line longer than RELAY_LINE_MAX is dropped;
 *   - the queue holds at most its capacity; a line that does not fit is
 *     dropped, never an older one (canisterd gets what came first, in order),
 *     and so is every line after it until the queue is below three quarters;
 *   - where lines were dropped, "canister-audisp lost=N\n" (auditd_line.h)
 *     is queued as soon as it fits (once some was sent, or before the next
 *     line kept), so canisterd says so;
 *   - after a new connection, the rest of a line the old one took only part
 *     of is dropped too (the old reader threw its part away).
 */
#define RELAY_LINE_MAX (64 * 1024)

struct relay_buffer {
	char *data;
	size_t head, len, capacity; /* pending: data[head..len) */
	char *partial;		    /* the line being read, RELAY_LINE_MAX bytes */
	size_t partial_len;
	bool skipping;	      /* inside a line too long to keep: up to its newline */
	bool sent_in_part;    /* the first pending line was partly sent */
	bool full;	      /* a line did not fit: none is kept until below 3/4 again */
	uint64_t lost;	      /* dropped since the last note */
	uint64_t lost_total;  /* dropped since start */
	uint64_t lines_total; /* queued since start (notes not counted) */
};

/* relay_buffer_init() - an empty queue of @capacity bytes (at least 2 * RELAY_LINE_MAX). */
int relay_buffer_init(struct relay_buffer *b, size_t capacity);
void relay_buffer_free(struct relay_buffer *b);

/* relay_buffer_take() - @len bytes as read from auditd. */
void relay_buffer_take(struct relay_buffer *b, const char *bytes, size_t len);

/* relay_buffer_pending() - what waits to be sent (*@ret_len bytes; NULL when none). */
const char *relay_buffer_pending(const struct relay_buffer *b, size_t *ret_len);

/* relay_buffer_sent() - @n of the pending bytes were sent. */
void relay_buffer_sent(struct relay_buffer *b, size_t n);

/* relay_buffer_reconnected() - a new reader: a line sent in part is dropped (counted). */
void relay_buffer_reconnected(struct relay_buffer *b);

#endif
