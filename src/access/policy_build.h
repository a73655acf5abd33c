/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister: an access policy put together rule by rule (by the parser, and by
 * the intersection of a chain's policies) and finished in its canonical form:
 * file rules one per path, sorted; port ranges merged; so that equal policies
 * are equal structures and print the same.
 */
#ifndef CANISTER_ACCESS_POLICY_BUILD_H
#define CANISTER_ACCESS_POLICY_BUILD_H

#include "access/policy.h"

struct access_builder {
	struct canister_access_policy policy; /* handled sets, scopes, bound; rules below */
	size_t fs_capacity, net_capacity;
	size_t rules; /* statements that added rules, against CANISTER_ACCESS_RULES_MAX */
};

void access_builder_init(struct access_builder *b);
void access_builder_release(struct access_builder *b);

/*
 * access_builder_add_fs() - @effect @rights beneath @path (@path_len bytes,
 * absolute and normalised).  -EEXIST when the same path already has the
 * other effect for one of @rights (*@ret_line: that rule's line), -E2BIG,
 * -ENOMEM.
 */
int access_builder_add_fs(struct access_builder *b, enum canister_access_effect effect,
			  uint32_t rights, const char *path, size_t path_len, unsigned int line,
			  unsigned int *ret_line);

/* access_builder_add_net() - allow @rights on ports @first..@last.  -E2BIG, -ENOMEM. */
int access_builder_add_net(struct access_builder *b, uint32_t rights, uint16_t first, uint16_t last,
			   unsigned int line);

/*
 * access_builder_finish() - the canonical policy into *@ret_policy (the
 * builder is emptied).  -E2BIG when the canonical form holds more than
 * CANISTER_ACCESS_RULES_MAX rules, -ENOMEM.
 */
int access_builder_finish(struct access_builder *b, struct canister_access_policy **ret_policy);

#endif
