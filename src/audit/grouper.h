/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the kernel's audit records grouped into events, as the kernel groups them. */
#ifndef CANISTER_AUDIT_GROUPER_H
#define CANISTER_AUDIT_GROUPER_H

#include "audit/event.h"

#include <stdint.h>

/*
 * canisterd reads the kernel's audit netlink as auditd does and writes the
 * same lines; this groups them into events by the kernel's own rules:
 *
 *   - every record of an event carries the event's stamp
 *     "audit(SECONDS.MMM:SERIAL)";
 *   - records written inside a system call (SYSCALL, PATH, CWD, EXECVE,
 *     PROCTITLE, and a LOGIN or netlabel record written by the call itself)
 *     are followed by an EOE record, which ends the event and is not kept
 *     (auditd does not write it);
 *   - records that the kernel writes outside any system call with a stamp of
 *     their own are events of one record: user messages (1100-1299 but LOGIN
 *     1006, and the old USER 1005), KERNEL (2000) and the second range of
 *     user messages (2100 and up);
 *   - anything else that no EOE ends (an AVC outside a system call, the
 *     CONFIG_CHANGE of canisterd's own rule changes) ends once its stamp is
 *     more than 2 s behind the wall clock or behind the latest record fed
 *     (libauparse's end_of_event_timeout), or at a flush;
 *   - an event whose SYSCALL (or io_uring's URINGOP) record came has its EOE
 *     coming: the kernel writes that record first at the call's exit, then
 *     the rest, then EOE.  The records of one event keep their order, but
 *     with its backlog full each writer waits for room before each record
 *     (backlog_wait_time, 60 s by default), and one that waits again goes
 *     behind the others: records of calls that began seconds later come
 *     between.  The stream's time ends such an event only
 *     AUDIT_GROUPER_EOE_TIMEOUT_MS after its stamp (its EOE was lost); the
 *     wall clock of a quiet stream after 2 s, as any other.
 *
 * An event is handed over as soon as it is complete, whatever is still
 * building.  Records are parsed once, here, into the event's view (event.h):
 * nothing downstream parses them again.  Unlike libauparse's feed interface,
 * this keeps every record whole, of any length, in any number, in the order
 * the kernel sent them.
 *
 * Not thread-safe; the callback runs inside _feed(), _age() and _flush(),
 * may add records to the event (CONTAINER_ID), must not keep it, and must
 * not call the grouper.
 */
struct audit_grouper;

typedef void (*audit_grouper_event_fn)(struct audit_event *event, void *ctx);

/* What a grouper has done since it was made. */
struct audit_grouper_stats {
	uint64_t records; /* fed and kept (EOE not counted) */
	uint64_t events;  /* handed over */
	uint64_t aged;	  /* of which ended by age or flush, without EOE */
	uint64_t forced; /* of which handed over early: more than the pending bound were building */
	uint64_t refused;   /* messages refused: no kernel stamp */
	uint64_t no_memory; /* records lost for want of memory */
};

/* More events than this building at once: the oldest is handed over as it is (counted). */
#define AUDIT_GROUPER_PENDING_MAX 4096

/* libauparse's end_of_event_timeout: an event without EOE ends 2 s after its stamp. */
#define AUDIT_GROUPER_TIMEOUT_MS 2000

/*
 * An event whose EOE is coming ends by the stream's time this long after its
 * stamp: the kernel's default backlog_wait_time (60 * HZ), the longest its
 * writer waits for room before a record is dropped (and counted lost).
 */
#define AUDIT_GROUPER_EOE_TIMEOUT_MS 60000

/*
 * audit_grouper_new() - a grouper handing each complete event to @fn with
 * @ctx; each record's line starts with @prefix (@prefix NULL or "": none;
 * "node=NAME " as auditd's name_format does, at most 255 bytes).
 * Returns 0 and *@ret, or -EINVAL (@fn or @ret NULL, @prefix too long) or -ENOMEM.
 */
int audit_grouper_new(audit_grouper_event_fn fn, void *ctx, const char *prefix,
		      struct audit_grouper **ret);

/*
 * audit_grouper_feed() - one netlink message: @type (1300 for SYSCALL) and
 * its text "audit(1700000000.123:42): arch=c000003e syscall=59 ...", @len
 * bytes or up to its first NUL, of any length.
 *
 * The line kept is auditd's: "type=NAME msg=TEXT", NAME from
 * audit_msg_type_to_name() or "UNKNOWN[N]", every newline in TEXT made a
 * space (a message must not forge a record of its own) and one trailing
 * space dropped.
 *
 * Returns 0 (the message is kept, or it was an EOE; events it completes have
 * been handed over), or, with nothing kept:
 *   -EINVAL  @g NULL, @type outside 1..65535, @text NULL, or the text does not
 *            start with the kernel's stamp (canister_audit_parse_stamp())
 *   -ENOMEM  the record is lost (counted in no_memory)
 */
int audit_grouper_feed(struct audit_grouper *g, int type, const char *text, size_t len);

/*
 * audit_grouper_age() - hands over the events that no EOE ended and whose
 * stamp is more than AUDIT_GROUPER_TIMEOUT_MS behind @now_ms (the wall clock
 * of a quiet stream, or 0) or behind the latest record fed;
 * AUDIT_GROUPER_EOE_TIMEOUT_MS behind the latest record fed for an event
 * whose EOE is coming: to be called after each batch read and every second
 * or so.
 */
void audit_grouper_age(struct audit_grouper *g, int64_t now_ms);

/*
 * audit_stream_quiet() - whether a stream last read at @last_input_ms is
 * quiet at @now_ms, so that its pending events may end by the wall clock:
 * nothing read for AUDIT_GROUPER_TIMEOUT_MS and nothing waiting to be read.
 * A canisterd starved of CPU between two reads is not a quiet stream: its
 * records are in the socket, and ending an event then would write it as two.
 */
bool audit_stream_quiet(int64_t now_ms, int64_t last_input_ms, bool input_waiting);

/* audit_grouper_flush() - hands over every event, complete or not (at shutdown). */
void audit_grouper_flush(struct audit_grouper *g);

/* Events building now. */
size_t audit_grouper_pending(const struct audit_grouper *g);

void audit_grouper_stats(const struct audit_grouper *g, struct audit_grouper_stats *ret);

/* Frees @g without handing anything over (flush first to keep it); NULL is accepted. */
void audit_grouper_free(struct audit_grouper *g);

#endif
