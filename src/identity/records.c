// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the identity capability's records (CONTAINER_OP, CONTAINER_NS) to canister's log. */
#include "identity/records.h"

#include "core/records.h"

#include <canister/canister.h>
#include <errno.h>
#include <string.h>

void record_op(struct canisterd *d, uint64_t ktime_ns, const struct canister_op_record *rec)
{
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	records_stamp(ktime_ns, &when);
	/*
	 * A refused request's record may be folded into a summary (a caller
	 * cannot flood the log); refusals the kernel reported (a join under
	 * join_policy = record) have no orchestrator and are always written.
	 */
	(rec->res == 0 && rec->has_orchestrator ? records_write_refusal : records_write)(
		"CONTAINER_OP", canister_format_op_record(&when, rec, buf, sizeof(buf)), buf,
		rec->contid != CANISTER_CONTID_UNSET ? rec->contid : rec->old_contid);
}

void record_ns_register(struct canisterd *d, pid_t opid, const uint64_t *chain, unsigned int depth,
			const struct canister_ns_set *ns)
{
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	records_stamp(0, &when);
	records_write("CONTAINER_NS",
		      canister_format_ns_record(&when, "register", opid, chain, depth, ns, buf,
						sizeof(buf)),
		      buf, depth ? chain[0] : CANISTER_CONTID_UNSET);
}

void record_ns_change(struct canisterd *d, const struct canister_ns_event *event,
		      const uint64_t *chain, unsigned int depth)
{
	struct canister_ns_set old_ns, new_ns;
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];
	int len;

	_Static_assert((int)CANISTER_NS_COUNT == (int)CANISTER_NSI_COUNT, "one namespace order");
	memcpy(old_ns.inum, event->old_ns, sizeof(old_ns.inum));
	memcpy(new_ns.inum, event->new_ns, sizeof(new_ns.inum));
	records_stamp(event->ktime_ns, &when);
	len = canister_format_ns_change_record(
		&when, event->syscall == CANISTER_NS_UNSHARE ? "unshare" : "setns",
		(pid_t)event->tgid, chain, depth, &old_ns, &new_ns, buf, sizeof(buf));
	if (len == -ENODATA)
		return;
	records_write("CONTAINER_NS", len, buf, depth ? chain[0] : CANISTER_CONTID_UNSET);
}
