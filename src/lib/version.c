// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* libcanister: the library's own version, from the VERSION file at build time. */
#include "version.h"

#include <canister/canister.h>

const char *canister_version(void)
{
	return CANISTER_VERSION;
}
