/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: the isolation reports (pinned ring buffer and counters), shared
 * by the lsm-mode hooks (isolation.bpf.c) and the trace-mode recorder
 * (isolation_trace.bpf.c): one of the two loads, by mode, on the same pins.
 */
#ifndef CANISTER_ISOLATION_REPORTS_BPF_H
#define CANISTER_ISOLATION_REPORTS_BPF_H

#include "isolation_grants.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_ISOLATION_REPORTS_BYTES);
} isolation_reports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_ISOLATION_COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} isolation_counts SEC(".maps");

static __always_inline void isolation_count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&isolation_counts, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/*
 * A refusal (@recorded_only: trace mode's, let through), counted; the report
 * with every field set but the op's own (sig, ino, name: zero), to submit,
 * or NULL when the ring buffer is full.
 */
static __always_inline struct canister_isolation_report *
isolation_report(__u64 contid, __u32 tgid, __u32 uid, __u64 target_contid, __u32 target_tgid,
		 __u32 target_uid, __u16 op, bool recorded_only)
{
	struct canister_isolation_report *report;

	isolation_count(CANISTER_ISOLATION_DENIED);
	report = bpf_ringbuf_reserve(&isolation_reports, sizeof(*report), 0);
	if (!report) {
		isolation_count(CANISTER_ISOLATION_LOST);
		return 0;
	}
	report->contid = contid;
	report->target_contid = target_contid;
	report->tgid = tgid;
	report->target_tgid = target_tgid;
	report->uid = uid;
	report->target_uid = target_uid;
	report->op = op;
	report->sig = 0;
	report->recorded_only = recorded_only;
	report->ino = 0;
	report->name[0] = '\0';
	return report;
}

#endif
