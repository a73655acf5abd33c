/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: owns the kernel audit stream (as auditd does) and writes it with CONTAINER_ID records.
 */
#ifndef CANISTERD_KAUDIT_H
#define CANISTERD_KAUDIT_H

#include "daemon/canisterd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * kaudit_open() - with kernel_audit = on: register canisterd as the kernel's
 * audit daemon, enable auditing, and write every event to host_log, each
 * event of a process in a container followed by its CONTAINER_ID record.
 * Refuses (-EBUSY) while another living audit daemon holds the stream.
 * Returns 0 (also when kernel_audit is off), or -errno with @why.
 */
int kaudit_open(struct canisterd *d, char *why, size_t why_len);

/* Hands the stream back (audit pid 0) and restores the enabled flag it found. */
void kaudit_close(struct canisterd *d);

/* From the ring buffer: lives of processes, so records read late are still attributed. */
void kaudit_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns);
void kaudit_process_exited(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns);

/* Called periodically: writes events that ended without an EOE record (LOGIN, AVC, USER_*). */
void kaudit_tick(struct canisterd *d);

/*
 * Events written, CONTAINER_ID records added, write failures, events left out
 * by contid filters, netlink overruns (records the kernel dropped on our
 * socket); false when canisterd is not the audit daemon.
 */
bool kaudit_counters(uint64_t *ret_events, uint64_t *ret_attributed, uint64_t *ret_failures,
		     uint64_t *ret_filtered, uint64_t *ret_overruns);

#endif
