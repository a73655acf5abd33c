/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: canister's own audit log (audit_log), which every capability writes its records to. */
#ifndef CANISTERD_RECORDS_H
#define CANISTERD_RECORDS_H

#include "core/canisterd.h"
#include "lib/audit_record.h"

#include <stddef.h>
#include <stdint.h>

/* Opens config.audit_log (created 0600, its directory 0750). Returns 0 or -errno with @why. */
int records_open(struct canisterd *d, char *why, size_t why_len);
void records_close(void);

/*
 * records_stamp() - the stamp for a record of canister's: @ktime_ns is when
 * BPF saw it (bpf_ktime_get_ns()), 0 for now.  While a stamper is set (the
 * records then stand among the kernel's events), the stamper's.
 */
void records_stamp(uint64_t ktime_ns, struct canister_record_stamp *ret_stamp);

/*
 * records_set_stamper() - @stamper (NULL: canister's own serials) stamps
 * every record from now on; it must give stamps that no kernel event has.
 */
void records_set_stamper(void (*stamper)(struct canister_record_stamp *ret_stamp));

/*
 * records_write() - one record, @len bytes ending in a newline (or -errno
 * from its formatter: counted as failed), to the audit log, then to every
 * subscriber.  @contid names the container it is about
 * (CANISTER_CONTID_UNSET for none).  A record that cannot be written is
 * counted (status shows records_failed) and logged as an error: losing one
 * is never silent.
 */
void records_write(const char *what, int len, const char *line, uint64_t contid);

/*
 * records_write_refusal() - as records_write(), for the record of a refused
 * control request: while a refusal gate is set (the control socket sets one
 * around each request it serves) and the gate says no, the record is left
 * out; the gate counts it into a summary record (core/control_limits.h).
 */
void records_write_refusal(const char *what, int len, const char *line, uint64_t contid);

/* records_set_refusal_gate() - @gate (NULL: none) decides about refusal records from now on. */
void records_set_refusal_gate(bool (*gate)(void *ctx), void *ctx);

/* Whoever else takes canister's records (the kernel audit stream's logs and sinks). */
struct records_subscriber {
	void (*record)(const char *line, size_t len, uint64_t contid, void *ctx);
	void *ctx;
};

/* records_subscribe() - @subscriber (which must outlive it) from now on. 0, or -ENOSPC. */
int records_subscribe(const struct records_subscriber *subscriber);
void records_unsubscribe(const struct records_subscriber *subscriber);

struct records_counters {
	uint64_t written, failed;
};
void records_counters(struct records_counters *ret);

/* records_rotate() - SIGUSR1: rotate the audit log now.  Returns 0 or -errno. */
int records_rotate(void);

/* The audit log's path, as opened. */
const char *records_path(void);

#endif
