// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: parsing and printing container IDs and process IDs given by users. */
#include "lib/contid.h"

#include <canister/abi.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

/* strtoull() accepts "-1", " 7" and "0x7"; a security tool must not guess what was meant. */
static int parse_decimal_u64(const char *text, uint64_t *ret_value)
{
	unsigned long long value;
	char *end;

	if (!text || text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	*ret_value = value;
	return 0;
}

int canister_parse_contid(const char *text, uint64_t *ret_contid)
{
	uint64_t value;
	int r;

	r = parse_decimal_u64(text, &value);
	if (r < 0)
		return r;
	if (value == CANISTER_CONTID_UNSET)
		return -EINVAL;
	*ret_contid = value;
	return 0;
}

int canister_parse_pid(const char *text, pid_t *ret_pid)
{
	uint64_t value;
	int r;

	r = parse_decimal_u64(text, &value);
	if (r < 0)
		return r;
	if (value == 0)
		return -EINVAL;
	if (value > INT_MAX)
		return -ERANGE;
	*ret_pid = (pid_t)value;
	return 0;
}
