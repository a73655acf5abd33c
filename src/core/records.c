// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: writes canister's own audit records (CONTAINER_OP, CONTAINER_NS) to its audit log. */
#include "core/records.h"

#include "audit/output.h"
#include "core/log.h"
#include "audit/stamps.h"
#include "lib/audit_log.h"

#include <canister/canister.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static records_mirror_fn mirror_to;

void records_mirror(records_mirror_fn mirror)
{
	mirror_to = mirror;
}

int records_open(struct canisterd *d, char *why, size_t why_len)
{
	struct canister_audit_log_policy log_policy;
	int r = canister_audit_log_open(d->config.audit_log, &d->audit_log);

	if (r < 0) {
		snprintf(why, why_len, "cannot open the audit log %s: %s", d->config.audit_log,
			 strerror(-r));
		return r;
	}
	audit_log_policy_of(&d->config.log_policy, &log_policy);
	canister_audit_log_set_policy(d->audit_log, &log_policy);
	return 0;
}

void records_close(struct canisterd *d)
{
	canister_audit_log_close(d->audit_log);
	d->audit_log = NULL;
}

static void stamp(struct canisterd *d, uint64_t ktime_ns, struct canister_record_stamp *ret)
{
	/*
	 * In a log with the kernel's events, a stamp must not equal one of
	 * theirs: the record takes the time it is written, and a serial the
	 * kernel cannot give that millisecond.
	 */
	if (mirror_to)
		stamps_next(ret);
	else if (ktime_ns)
		canister_record_stamp_from_ktime(ktime_ns, &d->record_serial, ret);
	else
		canister_record_stamp_now(&d->record_serial, ret);
}

/* To canister's audit log and, with kernel_audit, the host log and @contid's sinks. */
static void write_record(struct canisterd *d, const char *what, int len, const char *buf,
			 uint64_t contid)
{
	int r = len;

	if (r >= 0 && !d->audit_log)
		r = -EBADF;
	if (r >= 0)
		r = canister_audit_log_write(d->audit_log, buf, (size_t)len);
	if (r < 0) {
		d->records_failed++;
		log_error("lost a %s record: %s", what, strerror(-r));
	} else {
		d->records_written++;
	}
	if (len > 0 && mirror_to)
		mirror_to(buf, (size_t)len, contid);
}

void record_op(struct canisterd *d, uint64_t ktime_ns, const struct canister_op_record *rec)
{
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	stamp(d, ktime_ns, &when);
	write_record(d, "CONTAINER_OP", canister_format_op_record(&when, rec, buf, sizeof(buf)),
		     buf, rec->contid != CANISTER_CONTID_UNSET ? rec->contid : rec->old_contid);
}

void record_ns_register(struct canisterd *d, pid_t opid, const uint64_t *chain, unsigned int depth,
			const struct canister_ns_set *ns)
{
	struct canister_record_stamp when;
	char buf[CANISTER_RECORD_MAX + 1];

	stamp(d, 0, &when);
	write_record(d, "CONTAINER_NS",
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
	stamp(d, event->ktime_ns, &when);
	len = canister_format_ns_change_record(
		&when, event->syscall == CANISTER_NS_UNSHARE ? "unshare" : "setns",
		(pid_t)event->tgid, chain, depth, &old_ns, &new_ns, buf, sizeof(buf));
	if (len == -ENODATA)
		return;
	write_record(d, "CONTAINER_NS", len, buf, depth ? chain[0] : CANISTER_CONTID_UNSET);
}
