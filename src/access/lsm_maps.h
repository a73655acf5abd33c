/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a held access policy as the BPF LSM maps hold it (lsm_abi.h); pure. */
#ifndef CANISTERD_ACCESS_LSM_MAPS_H
#define CANISTERD_ACCESS_LSM_MAPS_H

#include "access/policy.h"
#include "lib/protocol.h"

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/lsm_abi.h"

/*
 * access_lsm_policy_value() - access_policies' value for a container holding
 * @policy in @mode: the net rights it handles, the capabilities outside its
 * bound.
 */
void access_lsm_policy_value(const struct canister_access_policy *policy,
			     enum canister_access_mode mode,
			     struct canister_access_lsm_policy *ret);

/*
 * access_lsm_ports() - the ports @policy grants for @right (one
 * CANISTER_ACCESS_NET_* bit), as access_ports' bitmap: every rule naming
 * @right sets its range.
 */
void access_lsm_ports(const struct canister_access_policy *policy, uint32_t right,
		      struct canister_access_lsm_ports *ret);

/* access_lsm_port_granted() - whether @ports has @port, as the BPF program reads it. */
bool access_lsm_port_granted(const struct canister_access_lsm_ports *ports, uint16_t port);

/* One rule path of a policy that names create or remove, and what its rules say of them. */
struct access_lsm_fs_path {
	const char *path; /* the policy's own string */
	size_t path_len;
	uint32_t allowed; /* CANISTER_ACCESS_LSM_CREATE | _REMOVE */
	uint32_t denied;
};

/*
 * access_lsm_fs_paths() - @policy's rule paths whose rules name create or
 * remove, one entry a path, into @ret (room for policy->fs_count); none
 * when the policy handles neither.  Returns how many.
 */
size_t access_lsm_fs_paths(const struct canister_access_policy *policy,
			   struct access_lsm_fs_path *ret);

/*
 * access_lsm_fs_target() - a create or remove report's path into @buf
 * (@len bytes, always terminated): its components joined outermost first,
 * "..." before them when the report did not reach the root, "/" for the
 * root itself.
 */
void access_lsm_fs_target(const struct canister_access_lsm_fs_report *rep, char *buf, size_t len);

#endif
