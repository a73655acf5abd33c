/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: one kernel audit event, parsed once into the view every consumer shares. */
#ifndef CANISTER_AUDIT_EVENT_H
#define CANISTER_AUDIT_EVENT_H

#include "audit/route.h"
#include "lib/audit_record.h"

#include <canister/canister.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * An event's records are kept as the lines the logs get, one after the
 * other in one buffer:
 *
 *   [node=NODE ]type=NAME msg=audit(SECONDS.MMM:SERIAL): FIELDS\n
 *
 * so that a text log, a plugin or a sink takes the event as it is, and each
 * record is described by offsets into that buffer: where its line starts,
 * where "type=" starts, where its fields start, and what was read of it once,
 * when it was added (its type, the process it names).  The SYSCALL record's
 * facts (arch, syscall, success, key) are read once too.  Whoever attributes
 * the event fills in where its acting process was (@placed, @chain).
 *
 * The buffer grows as records are added, so offsets, not pointers, are kept;
 * audit_record_text() and audit_event_lines() give pointers valid until the
 * next record is added.
 */
struct audit_record {
	uint32_t line;	   /* offset of the line (its node= prefix, if any) */
	uint32_t line_len; /* its length, newline included */
	uint32_t text;	   /* offset of "type=" */
	uint32_t fields; /* offset of the fields (past "): "); at the newline when there are none */
	uint16_t type;	 /* 1300 for SYSCALL */
	bool target;	 /* an OBJ_PID record: @pid is its opid=, the target of kill/ptrace */
	pid_t pid;	 /* its first pid= (opid= for OBJ_PID) when a positive number; else 0 */
};

struct audit_event {
	struct canister_record_stamp stamp;
	char *bytes;
	size_t len, capacity;
	struct audit_record *records;
	size_t count, records_capacity;
	size_t kernel_count; /* the records the kernel sent; those after it are canister's */
	struct canister_syscall_facts
		facts; /* of its first SYSCALL record; present false if none */
	bool syscall_seen;
	bool eoe_due; /* a SYSCALL or URINGOP record came: the kernel ends the event with EOE */

	/* Filled by attribution: the acting process's container chain, innermost first. */
	bool placed;
	unsigned int depth;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
};

/* Where the process of one record was: its container's chain, innermost first (depth 0: none). */
struct audit_place {
	unsigned int depth;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
};

/* audit_event_reset() - empty @event for a new stamp, keeping its buffers. */
void audit_event_reset(struct audit_event *event, const struct canister_record_stamp *stamp);

/* audit_event_free() - its buffers; @event itself is the caller's. */
void audit_event_free(struct audit_event *event);

/*
 * audit_event_add_line() - add a record: @prefix (@prefix_len bytes: "" or
 * "node=NODE "), then "type=@name msg=", then @body (@body_len bytes: the
 * kernel's "audit(...): fields"), every newline or NUL in @body written as a
 * space (a record must not forge one of its own), one trailing space
 * dropped (but for the header's own when there are no fields), and a
 * newline.  The record is parsed here, once: its fields' offset, its first
 * pid= (opid= for @type OBJ_PID) and, for a SYSCALL record, the event's facts.
 *
 * @body must start with "audit(" and hold "): " or end in "):" (the caller
 * checked the stamp).  Returns 0, or -ENOMEM (nothing added), or -E2BIG when
 * the event would pass 4 GiB.
 */
int audit_event_add_line(struct audit_event *event, const char *prefix, size_t prefix_len, int type,
			 const char *name, const char *body, size_t body_len);

/* The record's text from "type=", and its length without the newline. */
static inline const char *audit_record_text(const struct audit_event *event,
					    const struct audit_record *record)
{
	return event->bytes + record->text;
}

static inline size_t audit_record_text_len(const struct audit_record *record)
{
	return record->line + record->line_len - 1 - record->text;
}

/* The record's whole line, node= prefix and newline included. */
static inline const char *audit_record_line(const struct audit_event *event,
					    const struct audit_record *record)
{
	return event->bytes + record->line;
}

/*
 * canister_audit_field() - the value of the first field @name (as "NAME=")
 * among @fields (@len bytes of space-separated fields), up to the next space;
 * NULL when absent.  The kernel hex-encodes any value holding a space, so a
 * value cannot hide a field of its own.  *@ret_len is the value's length.
 */
const char *canister_audit_field(const char *fields, size_t len, const char *name, size_t *ret_len);

/*
 * canister_audit_parse_stamp() - "audit(SECONDS.MMM:SERIAL):" at the start of
 * @text (@len bytes), followed by a space or its end, as the kernel writes it:
 * 1 to 12 digits of seconds, 3 of milliseconds, 1 to 20 of serial within 64
 * bits.  Returns the length up to and including the colon, or 0 when it is
 * not one.
 */
size_t canister_audit_parse_stamp(const char *text, size_t len,
				  struct canister_record_stamp *ret_stamp);

#endif
