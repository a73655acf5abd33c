// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: errno values by name, as the control protocol carries them. */
#include "lib/errnames.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

/*
 * Names rather than numbers travel on the socket: errno numbers differ between
 * architectures, and a reader of `--json` output should not need a table.
 */
static const struct {
	int errnum;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },
	{ ENOENT, "ENOENT" },
	{ ESRCH, "ESRCH" },
	{ EIO, "EIO" },
	{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },
	{ EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },
	{ EXDEV, "EXDEV" },
	{ EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" },
	{ EMLINK, "EMLINK" },
	{ ERANGE, "ERANGE" },
	{ ENOSYS, "ENOSYS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENOTUNIQ, "ENOTUNIQ" },
	{ EPROTO, "EPROTO" },
	{ EMSGSIZE, "EMSGSIZE" },
	{ EAGAIN, "EAGAIN" },
	{ ENODEV, "ENODEV" },
	{ ENOTCONN, "ENOTCONN" },
	/* policy-load and policy-show: a policy over its limits (rules, text). */
	{ E2BIG, "E2BIG" },
};

const char *canister_errno_name(int errnum)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].errnum == errnum)
			return errnames[i].name;
	return NULL;
}

int canister_errno_from_name(const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (strcmp(errnames[i].name, name) == 0)
			return errnames[i].errnum;
	return 0;
}
