/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister behaviour models: a container's record budget (GCRA), the same code in BPF and tests. */
#ifndef CANISTER_MODEL_OBSERVE_BUDGET_H
#define CANISTER_MODEL_OBSERVE_BUDGET_H

/*
 * The generic cell rate algorithm: one u64 of state per container, the
 * theoretical arrival time of its next record.  A container may emit one
 * record every @interval_ns on average and @burst records at once; past
 * that its records are dropped (and counted) while every other
 * container's budget is untouched, so one noisy container cannot fill the
 * ring buffer that all share.
 *
 * Called from BPF on several CPUs at once without a lock: two records of
 * one container may both read the same @tat and both pass.  The budget
 * is then exceeded by at most one record per CPU, which a drop counter
 * does not need to be exact about.
 *
 * Returns 1 (the record may go, *@tat advanced) or 0 (over budget).
 */
static inline int canister_model_budget_take(__u64 *tat, __u64 now_ns, __u64 interval_ns,
					     __u64 burst)
{
	__u64 next = *tat;
	__u64 tolerance = interval_ns * (burst ? burst - 1 : 0);

	if (next < now_ns)
		next = now_ns;
	if (next - now_ns > tolerance)
		return 0;
	*tat = next + interval_ns;
	return 1;
}

#endif
