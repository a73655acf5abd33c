/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the kernel's audit records grouped into events, and the processes each event names. */
#ifndef CANISTER_LIB_KAUDIT_EVENT_H
#define CANISTER_LIB_KAUDIT_EVENT_H

#include "lib/audit_record.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * canisterd reads the kernel's audit netlink as auditd does and writes the
 * same log, adding CONTAINER_ID records to the events of processes in
 * containers.  This turns each netlink message into the line auditd would
 * write and groups the lines into events with libauparse's feed interface.
 *
 * What libauparse calls complete is not always the kernel's whole event, so
 * the lines are kept here, libauparse is given only each line's type and
 * stamp, and it says when a stamp is done:
 *   - it ends an event at PROCTITLE or EOE, or at once for one-record types
 *     (below 1300, 2000, 2100 and up, the netlabel ones 1406..1419), or when
 *     a record more than 2 s (its end_of_event_timeout) younger arrives, or
 *     on age (the event's stamp more than 2 s behind the wall clock);
 *   - a LOGIN (or netlabel) record written inside a syscall, followed by that
 *     syscall's SYSCALL ... EOE under the same stamp, would be cut into two
 *     events; they are handed over as one, the LOGIN held back until the rest
 *     is complete (or until age/flush when nothing follows);
 *   - an event complete on its last record is otherwise handed over only
 *     on the next feed; here it is handed over before the feed returns;
 *   - events are handed over in the order their first records came: one
 *     complete behind one still building (a SYSCALL without EOE, an AVC
 *     outside any syscall) waits for it, at worst until age ends it.
 * The kernel's EOE is final: the event it ends is handed over at once,
 * whatever libauparse's order.  EOE records are not among the records, as
 * auditd does not write them.
 *
 * Not thread-safe; the callback runs inside _feed(), _age() and _flush() and
 * must not call them, nor _free(), on the same object.
 */
struct canister_kaudit;

/* A process an event's record names. */
struct canister_kaudit_subject {
	unsigned int record; /* 1-based index of the record in the event */
	pid_t pid;
	bool target; /* the record is OBJ_PID and this is its opid=, the target of kill/ptrace */
};

/*
 * One complete event: its stamp, its records as the lines auditd writes
 * ("type=SYSCALL msg=audit(1700000000.123:42): arch=...", no newline) in the
 * order the kernel sent them, and the processes they name, in record order:
 * a record's first pid= field, or an OBJ_PID record's opid=, when it is a
 * positive number.  Everything is valid only during the call.
 */
typedef void (*canister_kaudit_event_fn)(const struct canister_record_stamp *stamp,
					 const char *const *records, size_t record_count,
					 const struct canister_kaudit_subject *subjects,
					 size_t subject_count, void *ctx);

/*
 * canister_kaudit_new() - a grouper that hands each complete event to @fn
 * with @ctx.
 *
 * Returns 0 and *@ret, or -EINVAL (@fn or @ret NULL) or -ENOMEM.
 */
int canister_kaudit_new(canister_kaudit_event_fn fn, void *ctx, struct canister_kaudit **ret);

/*
 * canister_kaudit_feed() - one netlink message as libaudit's audit_get_reply()
 * gives it: @type (1300 for SYSCALL) and the text "audit(1700000000.123:42):
 * arch=c000003e syscall=59 ...", @len bytes or up to its first NUL.
 *
 * The line is auditd's: "type=NAME msg=TEXT", NAME from audit_msg_type_to_name()
 * or "UNKNOWN[N]", every newline in TEXT made a space (a message must not
 * forge a record of its own) and one trailing space dropped.  Unlike
 * auditd's, a line is never cut short.
 *
 * Returns 0 (the message is fed; events it completes have been handed
 * over), or, with nothing fed:
 *   -EINVAL    @k NULL, @type outside 1..65535, @text NULL, or the text does
 *              not start with the kernel's stamp "audit(SECONDS.MMM:SERIAL):"
 *              (1 to 12 digits of seconds, 3 of milliseconds, 1 to 20 of
 *              serial within 64 bits) followed by a space or its end
 *   -EMSGSIZE  @len above MAX_AUDIT_MESSAGE_LENGTH (8970), more than netlink
 *              carries
 *   -ENOMEM
 */
int canister_kaudit_feed(struct canister_kaudit *k, int type, const char *text, size_t len);

/*
 * canister_kaudit_age() - hands over the events whose stamp is more than 2 s
 * behind the wall clock (auparse_feed_age_events()), LOGIN records held back
 * included: to be called every second or so, since an event without EOE or
 * PROCTITLE (a lone SYSCALL, an AVC outside a syscall) ends no other way.
 */
void canister_kaudit_age(struct canister_kaudit *k);

/* canister_kaudit_flush() - hands over every event, complete or not (at shutdown). */
void canister_kaudit_flush(struct canister_kaudit *k);

/* Frees @k without handing anything over (flush first to keep it); NULL is accepted. */
void canister_kaudit_free(struct canister_kaudit *k);

#endif
