/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: say why something is refused, and return its error, in one statement. */
#ifndef CANISTER_LIB_WHY_H
#define CANISTER_LIB_WHY_H

#include <stddef.h>

/*
 * canister_refuse() - @fmt's text into @why (cut to @why_len; nothing when
 * @why is NULL or @why_len is 0), and @r back (a negative errno): the pure
 * parsers and decisions report a refusal as `return canister_refuse(why,
 * why_len, -EINVAL, "...", ...)`.
 */
int canister_refuse(char *why, size_t why_len, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * canister_why_printable() - every control byte of @why (NUL-terminated)
 * turned into '?': a reason that quotes what it read stays one printable
 * line, and cannot forge another in a log.
 */
void canister_why_printable(char *why);

/*
 * canister_line_why() - a line parser's refusal into @why: "SOURCE:LINE:
 * reason" ("SOURCE: reason" when @line is 0), made printable (the reason
 * quotes what was read).
 */
void canister_line_why(char *why, size_t why_len, const char *source, unsigned int line,
		       const char *reason);

#endif
