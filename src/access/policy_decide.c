// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: what an access policy, and a chain of them, lets a process do. */
#include "access/policy.h"

#include "access/policy_build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Whether @dir (normalised) is @path or a directory @path lies beneath. */
static bool beneath(const char *dir, size_t dir_len, const char *path, size_t path_len)
{
	if (dir_len == 1)
		return path_len >= 1 && path[0] == '/';
	return path_len >= dir_len && memcmp(dir, path, dir_len) == 0 &&
	       (path_len == dir_len || path[dir_len] == '/');
}

bool canister_access_fs_allows(const struct canister_access_policy *policy, uint32_t right,
			       const char *path, size_t path_len, unsigned int *ret_line)
{
	const struct canister_access_fs_rule *best = NULL;

	if (ret_line)
		*ret_line = 0;
	if (!(policy->fs_handled & right))
		return true;
	/* Rules are one per path and effect, so the longest ancestor decides alone. */
	for (size_t i = 0; i < policy->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &policy->fs[i];

		if (!(rule->rights & right) || !beneath(rule->path, rule->path_len, path, path_len))
			continue;
		if (!best || rule->path_len > best->path_len)
			best = rule;
	}
	if (!best)
		return false;
	if (ret_line)
		*ret_line = best->line;
	return best->effect == CANISTER_ACCESS_ALLOW;
}

bool canister_access_net_allows(const struct canister_access_policy *policy, uint32_t right,
				uint16_t port)
{
	if (!(policy->net_handled & right))
		return true;
	for (size_t i = 0; i < policy->net_count; i++) {
		const struct canister_access_net_rule *rule = &policy->net[i];

		if ((rule->rights & right) && rule->first <= port && port <= rule->last)
			return true;
	}
	return false;
}

static bool chain_fs_allows(const struct canister_access_policy *const *levels, unsigned int depth,
			    uint32_t right, const char *path, size_t len)
{
	for (unsigned int i = 0; i < depth; i++)
		if (!canister_access_fs_allows(levels[i], right, path, len, NULL))
			return false;
	return true;
}

/*
 * The chain's decision at @path for each right in @handled: a bit set in
 * the result is allowed.
 */
static uint32_t chain_fs_rights(const struct canister_access_policy *const *levels,
				unsigned int depth, uint32_t handled, const char *path, size_t len)
{
	uint32_t allowed = 0;

	for (uint32_t right = 1; right <= CANISTER_ACCESS_FS_ALL; right <<= 1)
		if ((handled & right) && chain_fs_allows(levels, depth, right, path, len))
			allowed |= right;
	return allowed;
}

/*
 * Every level decides a path by its longest rule path above it, so the
 * chain's decision is the same everywhere beneath a path any level names
 * until the next one: one rule per such path, where the chain's decision
 * differs from the one above it (nothing above: a handled right is denied).
 */
static int effective_fs(const struct canister_access_policy *const *levels, unsigned int depth,
			struct access_builder *b)
{
	uint32_t handled = b->policy.fs_handled;
	const struct canister_access_fs_rule **paths;
	size_t n = 0, total = 0;
	int r = 0;

	for (unsigned int i = 0; i < depth; i++)
		total += levels[i]->fs_count;
	if (!total)
		return 0;
	paths = calloc(total, sizeof(*paths));
	if (!paths)
		return -ENOMEM;
	for (unsigned int i = 0; i < depth; i++)
		for (size_t k = 0; k < levels[i]->fs_count; k++)
			paths[n++] = &levels[i]->fs[k];
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct canister_access_fs_rule *here = paths[i], *above = NULL;
		uint32_t allowed, allowed_above = 0, changed;
		bool seen = false;
		unsigned int unused;

		for (size_t k = 0; k < i && !seen; k++)
			seen = paths[k]->path_len == here->path_len &&
			       memcmp(paths[k]->path, here->path, here->path_len) == 0;
		if (seen)
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct canister_access_fs_rule *other = paths[k];

			if (other->path_len >= here->path_len ||
			    !beneath(other->path, other->path_len, here->path, here->path_len))
				continue;
			if (!above || other->path_len > above->path_len)
				above = other;
		}
		allowed = chain_fs_rights(levels, depth, handled, here->path, here->path_len);
		if (above)
			allowed_above = chain_fs_rights(levels, depth, handled, above->path,
							above->path_len);
		changed = allowed ^ allowed_above;
		if (changed & allowed)
			r = access_builder_add_fs(b, CANISTER_ACCESS_ALLOW, changed & allowed,
						  here->path, here->path_len, here->line, &unused);
		/* A deny with nothing allowed above says what the default says already. */
		if (r == 0 && (changed & ~allowed) && above)
			r = access_builder_add_fs(b, CANISTER_ACCESS_DENY, changed & ~allowed,
						  here->path, here->path_len, here->line, &unused);
	}
	free(paths);
	return r;
}

/*
 * Ports: each right any level handles is allowed where every level that
 * handles it allows it.  Every range end of every level is a place the
 * chain's answer may change; between two, it does not.
 */
static int effective_net(const struct canister_access_policy *const *levels, unsigned int depth,
			 struct access_builder *b)
{
	uint32_t handled = b->policy.net_handled;
	uint32_t port = 0;
	int r = 0;

	if (!handled)
		return 0;
	while (port <= 65535 && r == 0) {
		uint32_t next = 65536, rights = 0;

		for (unsigned int i = 0; i < depth; i++)
			for (size_t k = 0; k < levels[i]->net_count; k++) {
				const struct canister_access_net_rule *rule = &levels[i]->net[k];

				if (rule->first > port && rule->first < next)
					next = rule->first;
				if (rule->last >= port && (uint32_t)rule->last + 1 < next)
					next = (uint32_t)rule->last + 1;
			}
		for (uint32_t right = 1; right <= CANISTER_ACCESS_NET_ALL; right <<= 1) {
			bool all = (handled & right) != 0;

			for (unsigned int i = 0; i < depth && all; i++)
				all = canister_access_net_allows(levels[i], right, (uint16_t)port);
			if (all)
				rights |= right;
		}
		if (rights)
			r = access_builder_add_net(b, rights, (uint16_t)port, (uint16_t)(next - 1),
						   0);
		port = next;
	}
	return r;
}

int canister_access_effective(const struct canister_access_policy *const *levels,
			      unsigned int depth, struct canister_access_policy **ret_policy)
{
	struct access_builder b;
	int r;

	access_builder_init(&b);
	for (unsigned int i = 0; i < depth; i++) {
		b.policy.fs_handled |= levels[i]->fs_handled;
		b.policy.net_handled |= levels[i]->net_handled;
		b.policy.scopes |= levels[i]->scopes;
		b.policy.cap_bound &= levels[i]->cap_bound;
	}
	r = effective_fs(levels, depth, &b);
	if (r == 0)
		r = effective_net(levels, depth, &b);
	if (r == 0)
		r = access_builder_finish(&b, ret_policy);
	if (r < 0)
		access_builder_release(&b);
	return r;
}

void canister_access_policy_free(struct canister_access_policy *policy)
{
	if (!policy)
		return;
	for (size_t i = 0; i < policy->fs_count; i++)
		free(policy->fs[i].path);
	free(policy->fs);
	free(policy->net);
	free(policy);
}
