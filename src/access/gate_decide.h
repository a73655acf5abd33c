/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the access policies' decision on a file the gate holds (pure). */
#ifndef CANISTERD_ACCESS_GATE_DECIDE_H
#define CANISTERD_ACCESS_GATE_DECIDE_H

#include "access/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The file rights the gate decides: fanotify has an event for them (no create, no remove). */
#define ACCESS_GATE_RIGHTS \
	(CANISTER_ACCESS_FS_EXECUTE | CANISTER_ACCESS_FS_READ | CANISTER_ACCESS_FS_WRITE)

/* One level of an opener's chain that holds a policy. */
struct access_gate_level {
	uint64_t contid;
	const struct canister_access_policy *policy;
	bool enforce; /* else complain: a refusal is recorded, not denied */
};

/* What a chain says of one or more rights on a path. */
struct access_gate_verdict {
	bool refused;	/* some level refuses: a record is owed */
	bool enforce;	/* that level enforces: the open or exec is denied */
	uint64_t by;	/* its contid */
	uint32_t right; /* the right it refuses (one CANISTER_ACCESS_FS_* bit) */
};

/*
 * access_gate_open_rights() - the file rights an open needs: with the
 * opener's flags known (@flags_known, @flags), read for O_RDONLY, write for
 * O_WRONLY, both for O_RDWR (and for O_ACCMODE, which the kernel checks as
 * both), and write for O_TRUNC as well.  Unknown, @writers says whether the
 * file is open for writing anywhere, the opener's own open included (1, 0,
 * or -errno when it cannot be told): nowhere means the opener reads; else
 * both rights are needed, erring closed.
 */
uint32_t access_gate_open_rights(int writers, bool flags_known, uint64_t flags);

/*
 * access_gate_decide() - whether each level of @levels[0..@count) (the
 * opener's container first) grants every right of @rights on @path (as the
 * container sees it): the first refusal by a level that enforces, else the
 * first by one that complains, else none.
 */
void access_gate_decide(const struct access_gate_level *levels, unsigned int count, uint32_t rights,
			const char *path, size_t path_len, struct access_gate_verdict *ret);

/* access_gate_merge() - @a, or @b where @b refuses and @a does not, or enforces and @a does not. */
void access_gate_merge(struct access_gate_verdict *a, const struct access_gate_verdict *b);

#endif
