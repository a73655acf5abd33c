// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: how a request handler refuses (the reply's error, and the errno it returns). */
#include "core/reply.h"

#include <stdarg.h>
#include <stdio.h>

int reply_refuse(struct canister_reply *ret, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ret->error.message, sizeof(ret->error.message), fmt, ap);
	va_end(ap);
	return -errnum;
}
