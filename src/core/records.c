// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: canister's own audit log (audit_log), which every capability writes its records to. */
#include "core/records.h"

#include "core/log.h"
#include "lib/audit_log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SUBSCRIBERS_MAX 8

static struct {
	struct canister_audit_log *log;
	char path[CANISTER_CONFIG_PATH_MAX];
	uint64_t serial; /* the last one given, when canister stamps alone */
	uint64_t written, failed;
	void (*stamper)(struct canister_record_stamp *ret_stamp);
	const struct records_subscriber *subscribers[SUBSCRIBERS_MAX];
	bool (*refusal_gate)(void *ctx);
	void *refusal_gate_ctx;
} records;

int records_open(struct canisterd *d, char *why, size_t why_len)
{
	struct canister_audit_log_policy log_policy;
	int r = canister_audit_log_open(d->config.audit_log, &records.log);

	if (r < 0) {
		snprintf(why, why_len, "cannot open the audit log %s: %s", d->config.audit_log,
			 strerror(-r));
		return r;
	}
	snprintf(records.path, sizeof(records.path), "%s", d->config.audit_log);
	canister_audit_log_policy_of(&d->config.log_policy, &log_policy);
	canister_audit_log_set_policy(records.log, &log_policy);
	return 0;
}

void records_close(void)
{
	canister_audit_log_close(records.log);
	records.log = NULL;
}

void records_set_stamper(void (*stamper)(struct canister_record_stamp *ret_stamp))
{
	records.stamper = stamper;
}

void records_stamp(uint64_t ktime_ns, struct canister_record_stamp *ret_stamp)
{
	/*
	 * In a log with the kernel's events, a stamp must not equal one of
	 * theirs: the record takes the time it is written, and a serial the
	 * kernel cannot give that millisecond.
	 */
	if (records.stamper)
		records.stamper(ret_stamp);
	else if (ktime_ns)
		canister_record_stamp_from_ktime(ktime_ns, &records.serial, ret_stamp);
	else
		canister_record_stamp_now(&records.serial, ret_stamp);
}

void records_write(const char *what, int len, const char *line, uint64_t contid)
{
	int r = len;

	if (r >= 0 && !records.log)
		r = -EBADF;
	if (r >= 0)
		r = canister_audit_log_write(records.log, line, (size_t)len);
	if (r < 0) {
		records.failed++;
		log_error("lost a %s record: %s", what, strerror(-r));
	} else {
		records.written++;
	}
	if (len <= 0)
		return;
	for (size_t i = 0; i < SUBSCRIBERS_MAX; i++)
		if (records.subscribers[i])
			records.subscribers[i]->record(line, (size_t)len, contid,
						       records.subscribers[i]->ctx);
}

void records_write_refusal(const char *what, int len, const char *line, uint64_t contid)
{
	if (records.refusal_gate && len > 0 && !records.refusal_gate(records.refusal_gate_ctx))
		return;
	records_write(what, len, line, contid);
}

void records_set_refusal_gate(bool (*gate)(void *ctx), void *ctx)
{
	records.refusal_gate = gate;
	records.refusal_gate_ctx = ctx;
}

int records_subscribe(const struct records_subscriber *subscriber)
{
	for (size_t i = 0; i < SUBSCRIBERS_MAX; i++)
		if (!records.subscribers[i]) {
			records.subscribers[i] = subscriber;
			return 0;
		}
	return -ENOSPC;
}

void records_unsubscribe(const struct records_subscriber *subscriber)
{
	for (size_t i = 0; i < SUBSCRIBERS_MAX; i++)
		if (records.subscribers[i] == subscriber)
			records.subscribers[i] = NULL;
}

void records_counters(struct records_counters *ret)
{
	*ret = (struct records_counters){ .written = records.written, .failed = records.failed };
}

int records_rotate(void)
{
	return records.log ? canister_audit_log_rotate(records.log) : -EBADF;
}

const char *records_path(void)
{
	return records.path;
}
