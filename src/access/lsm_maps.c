// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a held access policy as the BPF LSM maps hold it (lsm_abi.h); pure. */
#include "access/lsm_maps.h"

#include <stdio.h>
#include <string.h>

/* The report's and the key's right is the policy's own bit: one name for it everywhere. */
_Static_assert(CANISTER_ACCESS_LSM_BIND == CANISTER_ACCESS_NET_BIND &&
		       CANISTER_ACCESS_LSM_CONNECT == CANISTER_ACCESS_NET_CONNECT,
	       "lsm_abi.h's net rights are policy.h's");
_Static_assert(CANISTER_ACCESS_CAP_LAST < 64, "a bound fits access_policies' 64 bits");
_Static_assert(CANISTER_ACCESS_LSM_CREATE == CANISTER_ACCESS_FS_CREATE &&
		       CANISTER_ACCESS_LSM_REMOVE == CANISTER_ACCESS_FS_REMOVE,
	       "lsm_abi.h's file rights are policy.h's");
_Static_assert(CANISTER_ACCESS_LSM_FS_RIGHTS == CANISTER_ACCESS_FS_ALL,
	       "a policy handling any file right refuses mounts");

void access_lsm_policy_value(const struct canister_access_policy *policy,
			     enum canister_access_mode mode, struct canister_access_lsm_policy *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->mode = mode == CANISTER_ACCESS_COMPLAIN ? CANISTER_ACCESS_LSM_COMPLAIN
						     : CANISTER_ACCESS_LSM_ENFORCE;
	ret->net_handled = policy->net_handled & CANISTER_ACCESS_NET_ALL;
	/* Capabilities past CAP_LAST do not exist on any kernel a bound names: never refused. */
	ret->cap_dropped = ~policy->cap_bound & CANISTER_ACCESS_CAPS_ALL;
	ret->fs_handled = policy->fs_handled & CANISTER_ACCESS_LSM_FS;
	/* Every file right, the gate's too: a mount would move the paths they are decided by. */
	ret->fs_rights = policy->fs_handled & CANISTER_ACCESS_LSM_FS_RIGHTS;
}

size_t access_lsm_fs_paths(const struct canister_access_policy *policy,
			   struct access_lsm_fs_path *ret)
{
	size_t n = 0;

	if (!(policy->fs_handled & CANISTER_ACCESS_LSM_FS))
		return 0;
	for (size_t i = 0; i < policy->fs_count; i++) {
		const struct canister_access_fs_rule *rule = &policy->fs[i];
		uint32_t rights = rule->rights & CANISTER_ACCESS_LSM_FS;
		size_t at = 0;

		if (!rights)
			continue;
		/* An allow and a deny line on one path are one entry (they never name one right).
		 */
		while (at < n && (ret[at].path_len != rule->path_len ||
				  memcmp(ret[at].path, rule->path, rule->path_len)))
			at++;
		if (at == n) {
			ret[n++] = (struct access_lsm_fs_path){ .path = rule->path,
								.path_len = rule->path_len };
		}
		if (rule->effect == CANISTER_ACCESS_DENY)
			ret[at].denied |= rights;
		else
			ret[at].allowed |= rights;
	}
	return n;
}

static void set_range(struct canister_access_lsm_ports *ports, unsigned int first,
		      unsigned int last)
{
	for (unsigned int port = first; port <= last; port++)
		ports->words[port / 64] |= UINT64_C(1) << (port % 64);
}

void access_lsm_ports(const struct canister_access_policy *policy, uint32_t right,
		      struct canister_access_lsm_ports *ret)
{
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < policy->net_count; i++)
		if (policy->net[i].rights & right)
			set_range(ret, policy->net[i].first, policy->net[i].last);
}

bool access_lsm_port_granted(const struct canister_access_lsm_ports *ports, uint16_t port)
{
	return (ports->words[port / 64] >> (port % 64)) & 1;
}

/*
 * A create or remove report's path: its components joined, outermost
 * first; "..." before them when the walk did not reach the root.
 */
void access_lsm_fs_target(const struct canister_access_lsm_fs_report *rep, char *buf, size_t len)
{
	size_t at = 0;
	unsigned int parts = rep->parts < CANISTER_ACCESS_LSM_FS_PARTS
				     ? rep->parts
				     : CANISTER_ACCESS_LSM_FS_PARTS;

	buf[0] = '\0';
	if (!rep->whole)
		at += (size_t)snprintf(buf + at, len - at, "...");
	for (unsigned int i = parts; i-- > 0 && at < len;)
		at += (size_t)snprintf(buf + at, len - at, "/%.*s",
				       (int)CANISTER_ACCESS_LSM_FS_PART_BYTES, rep->names[i]);
	if (!parts && at < len)
		snprintf(buf + at, len - at, "/");
}
