// SPDX-License-Identifier: GPL-2.0-only
/* canister: which ended containers' lists stay under integrity_dir, and how they are named. */
#include "integrity/ended_lists.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ended_list_name(uint64_t contid, int64_t when, char *buf, size_t len)
{
	return snprintf(buf, len, "%" PRIu64 ENDED_LISTS_INFIX "%" PRId64, contid, when);
}

/* Decimal digits from @s up to @end (excluded) into *@ret: no sign, no leading zero. */
static bool digits(const char *s, const char *end, uint64_t max, uint64_t *ret)
{
	uint64_t value = 0;

	if (s == end || (*s == '0' && end - s > 1))
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || value > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		value = value * 10 + (uint64_t)(*s - '0');
	}
	*ret = value;
	return true;
}

bool ended_list_parse(const char *name, struct ended_list *ret)
{
	const char *infix = strstr(name, ENDED_LISTS_INFIX);
	uint64_t contid, when;

	if (!infix || strlen(name) >= sizeof(ret->name) ||
	    !digits(name, infix, UINT64_MAX, &contid) ||
	    !digits(infix + strlen(ENDED_LISTS_INFIX), name + strlen(name), INT64_MAX, &when))
		return false;
	ret->contid = contid;
	ret->when = (int64_t)when;
	snprintf(ret->name, sizeof(ret->name), "%s", name);
	return true;
}

static int oldest_first(const void *a, const void *b)
{
	const struct ended_list *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->contid < y->contid ? -1 : x->contid > y->contid;
}

size_t ended_lists_to_remove(struct ended_list *lists, size_t count, size_t keep)
{
	if (count <= keep)
		return 0;
	qsort(lists, count, sizeof(*lists), oldest_first);
	return count - keep;
}
