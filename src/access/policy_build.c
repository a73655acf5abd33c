// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: an access policy put together rule by rule and finished in its canonical form. */
#include "access/policy_build.h"

#include "lib/array_room.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void access_builder_init(struct access_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->policy.cap_bound = CANISTER_ACCESS_CAPS_ALL;
}

void access_builder_release(struct access_builder *b)
{
	for (size_t i = 0; i < b->policy.fs_count; i++)
		free(b->policy.fs[i].path);
	free(b->policy.fs);
	free(b->policy.net);
	access_builder_init(b);
}

static bool same_path(const struct canister_access_fs_rule *rule, const char *path, size_t len)
{
	return rule->path_len == len && memcmp(rule->path, path, len) == 0;
}

int access_builder_add_fs(struct access_builder *b, enum canister_access_effect effect,
			  uint32_t rights, const char *path, size_t path_len, unsigned int line,
			  unsigned int *ret_line)
{
	struct canister_access_policy *p = &b->policy;
	struct canister_access_fs_rule *rule;

	for (size_t i = 0; i < p->fs_count; i++) {
		rule = &p->fs[i];
		if (!same_path(rule, path, path_len) || !(rule->rights & rights))
			continue;
		if (rule->effect != effect) {
			*ret_line = rule->line;
			return -EEXIST;
		}
	}
	if (b->rules >= CANISTER_ACCESS_RULES_MAX)
		return -E2BIG;
	if (canister_array_room(&p->fs, &b->fs_capacity, p->fs_count, sizeof(*p->fs)) < 0)
		return -ENOMEM;
	rule = &p->fs[p->fs_count];
	rule->path = malloc(path_len + 1);
	if (!rule->path)
		return -ENOMEM;
	memcpy(rule->path, path, path_len);
	rule->path[path_len] = '\0';
	rule->path_len = path_len;
	rule->effect = effect;
	rule->rights = rights;
	rule->line = line;
	p->fs_count++;
	b->rules++;
	return 0;
}

int access_builder_add_net(struct access_builder *b, uint32_t rights, uint16_t first, uint16_t last,
			   unsigned int line)
{
	struct canister_access_policy *p = &b->policy;

	if (b->rules >= CANISTER_ACCESS_RULES_MAX)
		return -E2BIG;
	if (canister_array_room(&p->net, &b->net_capacity, p->net_count, sizeof(*p->net)) < 0)
		return -ENOMEM;
	p->net[p->net_count++] = (struct canister_access_net_rule){
		.rights = rights, .first = first, .last = last, .line = line
	};
	b->rules++;
	return 0;
}

/* Paths in byte order, so that an ancestor comes before what lies beneath it; allow first. */
static int fs_order(const void *a, const void *b)
{
	const struct canister_access_fs_rule *x = a, *y = b;
	size_t n = x->path_len < y->path_len ? x->path_len : y->path_len;
	int c = memcmp(x->path, y->path, n);

	if (c)
		return c;
	if (x->path_len != y->path_len)
		return x->path_len < y->path_len ? -1 : 1;
	if (x->effect != y->effect)
		return x->effect < y->effect ? -1 : 1;
	/* The same path and effect merge into the earlier line's rule. */
	return (x->line > y->line) - (x->line < y->line);
}

/* One rule per path and effect, the rights of every line that named them. */
static void fs_canonical(struct canister_access_policy *p)
{
	size_t kept = 0;

	if (!p->fs_count)
		return;
	qsort(p->fs, p->fs_count, sizeof(p->fs[0]), fs_order);
	for (size_t i = 1; i < p->fs_count; i++) {
		struct canister_access_fs_rule *last = &p->fs[kept], *rule = &p->fs[i];

		if (rule->effect == last->effect && same_path(last, rule->path, rule->path_len)) {
			last->rights |= rule->rights;
			free(rule->path);
			continue;
		}
		p->fs[++kept] = *rule;
	}
	p->fs_count = kept + 1;
}

struct interval {
	uint32_t first, last;
	unsigned int line;
};

static int interval_order(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return (x->last > y->last) - (x->last < y->last);
}

/* The ranges of @right among @p's net rules into @out, sorted and merged (touching ones too). */
static size_t right_intervals(const struct canister_access_policy *p, uint32_t right,
			      struct interval *out)
{
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < p->net_count; i++)
		if (p->net[i].rights & right)
			out[n++] = (struct interval){ p->net[i].first, p->net[i].last,
						      p->net[i].line };
	if (!n)
		return 0;
	qsort(out, n, sizeof(*out), interval_order);
	for (size_t i = 1; i < n; i++) {
		if (out[i].first <= out[kept].last + 1) {
			if (out[i].last > out[kept].last)
				out[kept].last = out[i].last;
			continue;
		}
		out[++kept] = out[i];
	}
	return kept + 1;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * The net rules again as the maximal port ranges on which the set of rights
 * allowed is the same: one rule each, in port order.  Both rights' ranges
 * are swept at once; a range's end is where either right's status changes.
 */
static int net_canonical(struct canister_access_policy *p)
{
	struct interval *bind, *connect;
	struct canister_access_net_rule *out;
	size_t nb, nc, ib = 0, ic = 0, n = 0;
	uint32_t port = 0;

	if (!p->net_count)
		return 0;
	bind = calloc(p->net_count, sizeof(*bind));
	connect = calloc(p->net_count, sizeof(*connect));
	/* Each range ends at a change of one right: at most one rule per range end of either. */
	out = calloc(2 * p->net_count + 1, sizeof(*out));
	if (!bind || !connect || !out) {
		free(bind);
		free(connect);
		free(out);
		return -ENOMEM;
	}
	nb = right_intervals(p, CANISTER_ACCESS_NET_BIND, bind);
	nc = right_intervals(p, CANISTER_ACCESS_NET_CONNECT, connect);
	while (port <= 65535 && (ib < nb || ic < nc)) {
		/* The next port either right's status changes at, from @port on. */
		uint32_t end = 65536, rights = 0;
		unsigned int line = 0;

		if (ib < nb) {
			if (bind[ib].first <= port) {
				rights |= CANISTER_ACCESS_NET_BIND;
				end = min_u32(end, bind[ib].last + 1);
				line = bind[ib].line;
			} else {
				end = min_u32(end, bind[ib].first);
			}
		}
		if (ic < nc) {
			if (connect[ic].first <= port) {
				rights |= CANISTER_ACCESS_NET_CONNECT;
				end = min_u32(end, connect[ic].last + 1);
				line = line ? min_u32(line, connect[ic].line) : connect[ic].line;
			} else {
				end = min_u32(end, connect[ic].first);
			}
		}
		if (rights)
			out[n++] = (struct canister_access_net_rule){ .rights = rights,
								      .first = (uint16_t)port,
								      .last = (uint16_t)(end - 1),
								      .line = line };
		port = end;
		if (ib < nb && bind[ib].last < port)
			ib++;
		if (ic < nc && connect[ic].last < port)
			ic++;
	}
	free(bind);
	free(connect);
	free(p->net);
	p->net = out;
	p->net_count = n;
	return 0;
}

int access_builder_finish(struct access_builder *b, struct canister_access_policy **ret_policy)
{
	struct canister_access_policy *policy;
	int r;

	fs_canonical(&b->policy);
	r = net_canonical(&b->policy);
	if (r < 0)
		return r;
	if (b->policy.fs_count + b->policy.net_count > CANISTER_ACCESS_RULES_MAX)
		return -E2BIG;
	policy = malloc(sizeof(*policy));
	if (!policy)
		return -ENOMEM;
	*policy = b->policy;
	memset(&b->policy, 0, sizeof(b->policy));
	access_builder_release(b);
	*ret_policy = policy;
	return 0;
}
