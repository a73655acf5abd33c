/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: writes canister's own audit records (CONTAINER_OP, CONTAINER_NS) to its audit log. */
#ifndef CANISTERD_RECORDS_H
#define CANISTERD_RECORDS_H

#include "core/canisterd.h"
#include "lib/audit_record.h"

#include <canister/abi.h>

/* Opens config.audit_log (created 0600, its directory 0750). Returns 0 or -errno with @why. */
int records_open(struct canisterd *d, char *why, size_t why_len);
void records_close(struct canisterd *d);

/*
 * A record that cannot be formatted or written is counted (status shows
 * records_failed) and logged as an error: losing one is never silent.
 * @ktime_ns: 0 for "now", else when BPF saw it (bpf_ktime_get_ns()).
 */
/*
 * records_mirror() - with canisterd as the kernel's audit daemon, each of
 * canister's records is also handed to @mirror (the host log, plugins and
 * the sinks of @contid), and stamped to stand among the kernel's events
 * (stamps.h).  NULL: canister's own log only, its own serials.
 */
typedef void (*records_mirror_fn)(const char *line, size_t len, uint64_t contid);
void records_mirror(records_mirror_fn mirror);

void record_op(struct canisterd *d, uint64_t ktime_ns, const struct canister_op_record *rec);
/* @chain/@depth: the container's chain, innermost first (containers_chain()). */
void record_ns_register(struct canisterd *d, pid_t opid, const uint64_t *chain, unsigned int depth,
			const struct canister_ns_set *ns);
void record_ns_change(struct canisterd *d, const struct canister_ns_event *event,
		      const uint64_t *chain, unsigned int depth);

#endif
