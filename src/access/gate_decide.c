// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access policies' decision on a file the gate holds (pure). */
#include "access/gate_decide.h"

#include <fcntl.h>

uint32_t access_gate_open_rights(int writers, bool flags_known, uint64_t flags)
{
	uint32_t rights;

	if (!flags_known)
		return writers == 0 ? CANISTER_ACCESS_FS_READ
				    : CANISTER_ACCESS_FS_READ | CANISTER_ACCESS_FS_WRITE;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		rights = CANISTER_ACCESS_FS_READ;
		break;
	case O_WRONLY:
		rights = CANISTER_ACCESS_FS_WRITE;
		break;
	default:
		rights = CANISTER_ACCESS_FS_READ | CANISTER_ACCESS_FS_WRITE;
		break;
	}
	/* Truncated after the open is allowed, with no write access taken: a write all the same. */
	if (flags & O_TRUNC)
		rights |= CANISTER_ACCESS_FS_WRITE;
	return rights;
}

void access_gate_merge(struct access_gate_verdict *a, const struct access_gate_verdict *b)
{
	if (b->refused && (!a->refused || (b->enforce && !a->enforce)))
		*a = *b;
}

void access_gate_decide(const struct access_gate_level *levels, unsigned int count, uint32_t rights,
			const char *path, size_t path_len, struct access_gate_verdict *ret)
{
	*ret = (struct access_gate_verdict){ 0 };
	for (uint32_t right = 1; right <= CANISTER_ACCESS_FS_ALL; right <<= 1) {
		if (!(rights & right))
			continue;
		for (unsigned int i = 0; i < count; i++) {
			struct access_gate_verdict here = {
				.refused = true,
				.enforce = levels[i].enforce,
				.by = levels[i].contid,
				.right = right,
			};

			if (canister_access_fs_allows(levels[i].policy, right, path, path_len,
						      NULL))
				continue;
			access_gate_merge(ret, &here);
			if (ret->enforce)
				return;
		}
	}
}
