// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a container's capability bound, applied through libcap-ng. */
#include "access/cap_bound.h"

#include "access/policy.h"
#include "lib/why.h"

#include <cap-ng.h>
#include <errno.h>

int access_cap_bound_apply(uint64_t bound, char *why, size_t why_len)
{
	const capng_type_t sets = CAPNG_INHERITABLE | CAPNG_BOUNDING_SET | CAPNG_AMBIENT;
	bool dropped = false;

	capng_clear(CAPNG_SELECT_ALL);
	if (capng_get_caps_process() < 0)
		return canister_refuse(why, why_len, -EIO,
				       "cannot read this process's capabilities");
	for (unsigned int cap = 0; cap <= CANISTER_ACCESS_CAP_LAST; cap++) {
		if (bound & (UINT64_C(1) << cap))
			continue;
		if (capng_update(CAPNG_DROP, sets, cap) < 0)
			return canister_refuse(why, why_len, -EINVAL,
					       "cannot drop %s from the bounding set",
					       canister_access_cap_name(cap));
		dropped = true;
	}
	if (!dropped)
		return 0;
	if (capng_apply(CAPNG_SELECT_ALL) < 0)
		return canister_refuse(why, why_len, -EPERM,
				       "cannot apply the capability bound (CAP_SETPCAP is needed)");
	return 0;
}
