/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: one line of auditd's plugin feed (format = string) as the kernel's message. */
#ifndef CANISTER_AUDIT_AUDITD_LINE_H
#define CANISTER_AUDIT_AUDITD_LINE_H

#include <stddef.h>
#include <stdint.h>

/*
 * auditd 3.x hands each record to a `format = string` plugin as one line:
 *
 *   [node=NODE ]type=NAME msg=audit(SECONDS.MMM:SERIAL): FIELDS[\x1dINTERPRETED]\n
 *
 * NAME is libaudit's name for the type or "UNKNOWN[N]"; with log_format =
 * ENRICHED, auditd appends its interpretation after a 0x1d (GS) byte.  EOE
 * records are handed over too.  canister-audisp relays the lines unchanged,
 * and adds one of its own where it had to drop some:
 *
 *   canister-audisp lost=N\n
 *
 * Parsing gives back what the kernel sent on the netlink: the type number
 * and the text from "audit(" up to the interpretation (or the line's end),
 * so the grouper takes it exactly as it takes the netlink's.
 */
#define AUDITD_LINE_RELAY_LOST "canister-audisp lost="

enum auditd_line_kind {
	AUDITD_LINE_RECORD = 1, /* a kernel (or auditd) record: type, body */
	AUDITD_LINE_LOST,	/* the relay's note: lost records */
};

struct auditd_line {
	enum auditd_line_kind kind;
	int type;	  /* AUDITD_LINE_RECORD: 1..65535 */
	const char *body; /* AUDITD_LINE_RECORD: "audit(...): ...", inside the line */
	size_t body_len;
	uint64_t lost; /* AUDITD_LINE_LOST: how many the relay dropped */
};

/*
 * auditd_line_parse() - one line (@len bytes, its newline left out or
 * included).  The stamp itself is the grouper's to check.
 * Returns 0 with *@ret, or -EINVAL:
 *   - a "node=" prefix without a space after it, or empty;
 *   - no "type=NAME msg=" at the start (after the prefix);
 *   - NAME not one libaudit knows, nor "UNKNOWN[N]" with N in 1..65535;
 *   - the relay's note with a count that is not 1 to 20 digits within 64 bits;
 *   - a NUL byte before the line's end.
 */
int auditd_line_parse(const char *line, size_t len, struct auditd_line *ret);

#endif
