// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: an access policy's file rules as Landlock grants, holes expanded. */
#include "access/landlock_plan.h"

#include "lib/array_room.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct plan {
	const struct canister_access_policy *policy;
	access_list_dir_fn list;
	void *ctx;
	size_t max, count, capacity;
	struct access_landlock_grant *grants;
};

static bool beneath_strictly(const char *dir, size_t dir_len, const char *path, size_t len)
{
	if (len <= dir_len)
		return false;
	if (dir_len == 1)
		return true;
	return memcmp(dir, path, dir_len) == 0 && path[dir_len] == '/';
}

/* Whether some rule's path is @path. */
static bool ruled_at(const struct plan *p, const char *path, size_t len)
{
	for (size_t i = 0; i < p->policy->fs_count; i++)
		if (p->policy->fs[i].path_len == len &&
		    memcmp(p->policy->fs[i].path, path, len) == 0)
			return true;
	return false;
}

/* Whether some rule's path is @path or beneath it. */
static bool ruled_at_or_beneath(const struct plan *p, const char *path, size_t len)
{
	for (size_t i = 0; i < p->policy->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &p->policy->fs[i];

		if ((rule->path_len == len && memcmp(rule->path, path, len) == 0) ||
		    beneath_strictly(path, len, rule->path, rule->path_len))
			return true;
	}
	return false;
}

/* The rights of @rights that some rule strictly beneath @path names. */
static uint32_t ruled_beneath(const struct plan *p, const char *path, size_t len, uint32_t rights)
{
	uint32_t ruled = 0;

	for (size_t i = 0; i < p->policy->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &p->policy->fs[i];

		if (beneath_strictly(path, len, rule->path, rule->path_len))
			ruled |= rule->rights & rights;
	}
	return ruled;
}

static uint32_t allowed_at(const struct plan *p, const char *path, size_t len, uint32_t rights)
{
	uint32_t allowed = 0;

	for (uint32_t right = 1; right <= CANISTER_ACCESS_FS_ALL; right <<= 1)
		if ((rights & right) &&
		    canister_access_fs_allows(p->policy, right, path, len, NULL))
			allowed |= right;
	return allowed;
}

static int grant(struct plan *p, const char *path, uint32_t rights)
{
	if (p->count == p->max)
		return -E2BIG;
	if (canister_array_room(&p->grants, &p->capacity, p->count, sizeof(*p->grants)) < 0)
		return -ENOMEM;
	p->grants[p->count].path = strdup(path);
	if (!p->grants[p->count].path)
		return -ENOMEM;
	p->grants[p->count].rights = rights;
	p->grants[p->count++].named = ruled_at(p, path, strlen(path));
	return 0;
}

/*
 * Places @rights beneath @path: those decided alike everywhere beneath it
 * are one grant here (if allowed); those some rule beneath decides
 * otherwise go down to each entry.  Depth is bounded by the rules' paths.
 */
static int place(struct plan *p, const char *path, uint32_t rights)
{
	size_t len = strlen(path), count = 0;
	uint32_t ruled = ruled_beneath(p, path, len, rights);
	uint32_t uniform = allowed_at(p, path, len, rights & ~ruled);
	char **names = NULL, *child;
	bool *links = NULL;
	int r = 0;

	if (uniform) {
		r = grant(p, path, uniform);
		if (r < 0)
			return r;
	}
	if (!ruled)
		return 0;
	/* Gone, or not a directory: nothing beneath it to grant. */
	if (p->list(path, &names, &links, &count, p->ctx) < 0)
		return 0;
	for (size_t i = 0; i < count; i++) {
		if (r == 0) {
			child = malloc(len + strlen(names[i]) + 2);
			if (!child) {
				r = -ENOMEM;
			} else {
				sprintf(child, "%s/%s", len == 1 ? "" : path, names[i]);
				/*
				 * A symlink is granted only where a rule names it: its
				 * target is granted by its own path, and a link into a
				 * hole must not open the hole.
				 */
				if (!links[i] || ruled_at_or_beneath(p, child, strlen(child)))
					r = place(p, child, ruled);
				free(child);
			}
		}
		free(names[i]);
	}
	free(names);
	free(links);
	return r;
}

int access_landlock_plan(const struct canister_access_policy *policy, access_list_dir_fn list,
			 void *ctx, size_t max, struct access_landlock_grant **ret_grants,
			 size_t *ret_count)
{
	struct plan p = { .policy = policy, .list = list, .ctx = ctx, .max = max };
	int r = 0;

	if (policy->fs_handled)
		r = place(&p, "/", policy->fs_handled);
	if (r < 0) {
		access_landlock_plan_free(p.grants, p.count);
		return r;
	}
	*ret_grants = p.grants;
	*ret_count = p.count;
	return 0;
}

void access_landlock_plan_free(struct access_landlock_grant *grants, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(grants[i].path);
	free(grants);
}
