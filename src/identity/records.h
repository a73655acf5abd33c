/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the identity capability's records (CONTAINER_OP, CONTAINER_NS) to canister's log. */
#ifndef CANISTERD_IDENTITY_RECORDS_H
#define CANISTERD_IDENTITY_RECORDS_H

#include "core/canisterd.h"
#include "lib/audit_record.h"

#include <canister/abi.h>

/*
 * Each record is written by the core's records_write(): a record that cannot
 * be formatted or written is counted and logged, never lost silently.
 * @ktime_ns: 0 for "now", else when BPF saw it (bpf_ktime_get_ns()).
 */
void record_op(struct canisterd *d, uint64_t ktime_ns, const struct canister_op_record *rec);
/* @chain/@depth: the container's chain, innermost first (containers_chain()). */
void record_ns_register(struct canisterd *d, pid_t opid, const uint64_t *chain, unsigned int depth,
			const struct canister_ns_set *ns);
void record_ns_change(struct canisterd *d, const struct canister_ns_event *event,
		      const uint64_t *chain, unsigned int depth);

#endif
