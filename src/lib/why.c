// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: say why something is refused, and return its error, in one statement. */
#include "lib/why.h"

#include <stdarg.h>
#include <stdio.h>

int canister_refuse(char *why, size_t why_len, int r, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return r;
}

void canister_why_printable(char *why)
{
	for (char *c = why; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

void canister_line_why(char *why, size_t why_len, const char *source, unsigned int line,
		       const char *reason)
{
	if (!why || !why_len)
		return;
	if (line)
		snprintf(why, why_len, "%s:%u: %s", source, line, reason);
	else
		snprintf(why, why_len, "%s: %s", source, reason);
	canister_why_printable(why);
}
