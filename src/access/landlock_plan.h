/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister: an access policy's file rules as Landlock can hold them.  Landlock
 * only grants (beneath a path); a policy's deny beneath an allowed directory
 * becomes grants on each entry of the directories above the hole but the way
 * to it, listed when the plan is made.
 */
#ifndef CANISTER_ACCESS_LANDLOCK_PLAN_H
#define CANISTER_ACCESS_LANDLOCK_PLAN_H

#include "access/policy.h"

/* One Landlock rule: @rights (CANISTER_ACCESS_FS_*) granted beneath @path. */
struct access_landlock_grant {
	char *path;
	uint32_t rights;
	/*
	 * A rule names @path: a symlink there is followed (the user granted what
	 * it names).  Otherwise @path is an entry a hole's expansion listed, and
	 * a symlink found there when it is opened (swapped in since the listing)
	 * must not be followed: it could point into the hole.
	 */
	bool named;
};

/*
 * Lists the entries of the directory @dir into *@ret_names (each and the
 * array malloc'd), *@ret_count, and whether each is a symlink into
 * *@ret_links (malloc'd).  Returns 0, or -errno (a directory that does not
 * exist has nothing to grant).
 */
typedef int (*access_list_dir_fn)(const char *dir, char ***ret_names, bool **ret_links,
				  size_t *ret_count, void *ctx);

/*
 * access_landlock_plan() - the grants that make Landlock decide @policy's
 * handled file rights as canister_access_fs_allows() does for every path
 * that exists now; an entry made later beneath an expanded directory gets
 * none of the expanded rights (refused: the plan errs closed).  At most
 * @max grants (-E2BIG past it).  *@ret_grants, *@ret_count; free with
 * access_landlock_plan_free().
 */
int access_landlock_plan(const struct canister_access_policy *policy, access_list_dir_fn list,
			 void *ctx, size_t max, struct access_landlock_grant **ret_grants,
			 size_t *ret_count);

void access_landlock_plan_free(struct access_landlock_grant *grants, size_t count);

#endif
