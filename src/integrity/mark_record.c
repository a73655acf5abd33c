// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which process one of canister's own records puts in a container or namespace (pure).
 */
#include "integrity/mark_record.h"

#include <string.h>

static const char *after(const char *at, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - at) >= n && memcmp(at, word, n) == 0 ? at + n : NULL;
}

pid_t mark_record_pid(const char *line, size_t len)
{
	const char *end = line + len, *at;
	long pid = 0;

	if (!after(line, end, "type=CONTAINER_OP ") && !after(line, end, "type=CONTAINER_NS "))
		return 0;
	/* The header ends at "): "; op= is first, an unencoded word, then opid=. */
	at = memchr(line, ')', len);
	if (!at || !(at = after(at, end, "): op=")))
		return 0;
	if (after(at, end, "drop ") || after(at, end, "fork ") || after(at, end, "guard ") ||
	    after(at, end, "tamper "))
		return 0;
	while (at < end && *at != ' ')
		at++;
	if (!(at = after(at, end, " opid=")))
		return 0;
	for (; at < end && *at >= '0' && *at <= '9' && pid < 1 << 22; at++)
		pid = pid * 10 + (*at - '0');
	if (at == end || *at != ' ' || pid <= 0 || pid >= 1 << 22)
		return 0;
	return (pid_t)pid;
}
