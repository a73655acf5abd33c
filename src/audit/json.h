/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: one linux-audit text record as one JSON line, from which the record can be rebuilt. */
#ifndef CANISTER_LIB_AUDIT_JSON_H
#define CANISTER_LIB_AUDIT_JSON_H

#include <stddef.h>

/*
 * Bytes that the JSON line of a record of @len bytes can take, its newline and
 * NUL included: a buffer of this size never gives -ENOSPC.  JSON escapes a
 * control byte in six ("\u001f"), and a byte of the body appears at most
 * twice (in "text" and in a field's name or value; a field's '=' pays for its
 * quotes, colon and comma); the rest is the fixed keys.
 */
#define CANISTER_AUDIT_JSON_MAX(len) (12 * (size_t)(len) + 128)

/*
 * The longest record taken, far above any audit line (CANISTER_AUDIT_LINE_MAX):
 * json-c counts a string's length in an int, and so does the return value.
 */
#define CANISTER_AUDIT_JSON_RECORD_MAX (16 * 1024 * 1024)

/*
 * canister_audit_json_format() - one audit record (@record, @len bytes,
 * without newline) as one JSON line ending in '\n' written to @buf, followed
 * by a NUL.
 *
 * The record is "[node=NODE ]type=TYPE msg=audit(SEC.MSEC:SERIAL): BODY" as
 * auditd and canisterd write it; the line is the object
 *
 *   {"node":"NODE","type":"TYPE","time":"SEC.MSEC","serial":SERIAL,
 *    "fields":{"NAME":"VALUE",...},"text":"BODY"}
 *
 * with "node" only when the record has one, and "time" the text as written
 * (a float would round it).  "fields" holds the body's top-level NAME=VALUE
 * tokens in their order: parted by spaces (and by the 0x1d that auditd's
 * enriched format puts before its translated fields), a "double-quoted" or
 * 'single-quoted' value without its quotes (a user record's msg='op=... res=1'
 * is one field), an unquoted one as it is.  The first of two same names is
 * kept.  Not fields: a token without '=' (an AVC's "denied { read } for"), a
 * name that is empty or holds a quote, a quoted value that goes on past its
 * closing quote (a="x"y), and a quote that is never closed (a record cut
 * short), with everything after it.
 *
 * A body that is not valid UTF-8 cannot be a JSON string without losing
 * bytes: it is then "text_hex", its bytes in uppercase hex (the kernel's
 * encoding of untrusted strings), and there is no "fields".
 *
 * Either way "[node=NODE ]type=TYPE msg=audit(TIME:SERIAL): BODY" rebuilt
 * from the object is @record, byte for byte.
 *
 * On error @buf holds an empty string (when @buf_len allows), so that a
 * caller that ignores the error writes nothing rather than half a line.
 *
 * Returns the line's length (newline included, NUL not), or:
 *   -EINVAL  @record is not a record: NULL, longer than
 *            CANISTER_AUDIT_JSON_RECORD_MAX, a newline or a NUL in it, NODE
 *            or TYPE empty or not printable ASCII without spaces, SEC not 1
 *            to 20 digits, MSEC not 3 digits, SERIAL not a decimal number
 *            below 2^64 written without leading zeros, or no "): " after it
 *            (a record that ends at "):" has no body to rebuild it with)
 *   -ENOSPC  the line and its NUL do not fit in @buf_len bytes
 *            (CANISTER_AUDIT_JSON_MAX(@len) always does)
 *   -ENOMEM
 */
int canister_audit_json_format(const char *record, size_t len, char *buf, size_t buf_len);

#endif
