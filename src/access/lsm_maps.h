/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a held access policy as the BPF LSM maps hold it (lsm_abi.h); pure. */
#ifndef CANISTERD_ACCESS_LSM_MAPS_H
#define CANISTERD_ACCESS_LSM_MAPS_H

#include "access/policy.h"
#include "lib/protocol.h"

#include <linux/types.h>
#include <stdbool.h>
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

#endif
