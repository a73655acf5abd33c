// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: an access policy printed in its canonical text, which parses back to it. */
#include "access/policy.h"

#include <stdarg.h>
#include <stdio.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
		      o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* "execute,read": the names of @bits, in the order the rights are defined. */
static void put_names(struct out *o, uint32_t bits, uint32_t all, const char *(*name)(uint32_t))
{
	const char *sep = "";

	for (uint32_t bit = 1; bit <= all; bit <<= 1)
		if (bits & bit) {
			put(o, "%s%s", sep, name(bit));
			sep = ",";
		}
}

static void put_caps(struct out *o, uint64_t caps)
{
	const char *sep = "";

	for (unsigned int cap = 0; cap <= CANISTER_ACCESS_CAP_LAST; cap++)
		if (caps & (UINT64_C(1) << cap)) {
			put(o, "%s%s", sep, canister_access_cap_name(cap));
			sep = ",";
		}
}

static unsigned int count_caps(uint64_t caps)
{
	return (unsigned int)__builtin_popcountll(caps);
}

size_t canister_access_policy_print(const struct canister_access_policy *policy, char *buf,
				    size_t size)
{
	struct out o = { .buf = buf, .size = size };
	uint64_t dropped = CANISTER_ACCESS_CAPS_ALL & ~policy->cap_bound;

	if (size)
		buf[0] = '\0';
	if (policy->fs_handled) {
		put(&o, "fs handle ");
		put_names(&o, policy->fs_handled, CANISTER_ACCESS_FS_ALL,
			  canister_access_fs_right_name);
		put(&o, "\n");
	}
	for (size_t i = 0; i < policy->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &policy->fs[i];

		put(&o, "fs %s ", rule->effect == CANISTER_ACCESS_ALLOW ? "allow" : "deny");
		put_names(&o, rule->rights, CANISTER_ACCESS_FS_ALL, canister_access_fs_right_name);
		put(&o, " beneath %s\n", rule->path);
	}
	if (policy->net_handled) {
		put(&o, "net handle ");
		put_names(&o, policy->net_handled, CANISTER_ACCESS_NET_ALL,
			  canister_access_net_right_name);
		put(&o, "\n");
	}
	for (size_t i = 0; i < policy->net_count; i++) {
		const struct canister_access_net_rule *rule = &policy->net[i];

		put(&o, "net allow ");
		put_names(&o, rule->rights, CANISTER_ACCESS_NET_ALL,
			  canister_access_net_right_name);
		if (rule->first == rule->last)
			put(&o, " %u\n", rule->first);
		else
			put(&o, " %u-%u\n", rule->first, rule->last);
	}
	if (policy->scopes) {
		put(&o, "scope ");
		put_names(&o, policy->scopes, CANISTER_ACCESS_SCOPE_ALL,
			  canister_access_scope_name);
		put(&o, "\n");
	}
	/* The shorter of the two forms; an empty bound can only be said as a drop of all. */
	if (dropped &&
	    (count_caps(dropped) <= count_caps(policy->cap_bound) || !policy->cap_bound)) {
		put(&o, "capability drop ");
		put_caps(&o, dropped);
		put(&o, "\n");
	} else if (dropped) {
		put(&o, "capability keep ");
		put_caps(&o, policy->cap_bound);
		put(&o, "\n");
	}
	return o.len;
}
