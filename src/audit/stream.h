/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: owns the kernel audit stream as auditd does; writes it with CONTAINER_ID records. */
#ifndef CANISTERD_KAUDIT_H
#define CANISTERD_KAUDIT_H

#include "audit/auditd_feed.h"
#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * kaudit_open() - with kernel_audit = on, or auto while no audit daemon
 * holds the stream: register canisterd as the kernel's audit daemon, enable
 * auditing, and write every event to host_log, each event of a process in a
 * container followed by its CONTAINER_ID record.  With auto beside a living
 * audit daemon (auditd): take the same events from auditd's plugin
 * canister-audisp instead (auditd_feed.h), leaving the kernel's stream,
 * rules and settings to that daemon.  kernel_audit = on refuses (-EBUSY)
 * while another living audit daemon holds the stream.
 * Returns 0 (also when kernel_audit is off), or -errno with @why.
 */
int kaudit_open(struct canisterd *d, char *why, size_t why_len);

/* Hands the stream back (audit pid 0) and restores the enabled flag it found. */
void kaudit_close(struct canisterd *d);

/* The audit capability's table entries (capability.c): process lives and the tick. */
void kaudit_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns);
void kaudit_process_exited(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns);
void kaudit_tick(struct canisterd *d);

struct kaudit_counters {
	uint64_t events;     /* written to the host log */
	uint64_t attributed; /* CONTAINER_ID records added */
	uint64_t write_failures;
	uint64_t filtered;	 /* left out by the host's contid filters */
	uint64_t sink_only;	 /* caused by a sink's rule: that sink's, not the host's */
	uint64_t overruns;	 /* netlink overruns: records the kernel dropped on our socket */
	uint64_t truncated;	 /* kernel messages longer than canisterd reads, cut */
	uint64_t refused;	 /* kernel messages without a stamp, not written */
	uint64_t no_memory;	 /* records lost for want of memory */
	uint64_t forced;	 /* events handed over before their end (too many building) */
	uint64_t disk_full_lost; /* host log: events not written while its disk was full */
	uint64_t rotations, rotation_failures; /* host log */
	uint64_t kernel_lost; /* the kernel's lost counter (AUDIT_GET), whoever holds the stream */
};

/*
 * kaudit_rotate_host_log() - SIGUSR1: rotate host_log now (the main thread
 * writes it).  Returns 0, -ENOENT with kernel_audit off, or the -errno of
 * audit_output_rotate().
 */
int kaudit_rotate_host_log(void);

/* kaudit_active() - kernel events reach canisterd (own stream or beside auditd). */
bool kaudit_active(void);

/* How canisterd takes the kernel's events now (kernel_audit = auto decides at start). */
struct kaudit_source_info {
	int how; /* enum canister_audit_source */
	char reason[512];
	uint32_t auditd_pid; /* beside auditd: the audit daemon now (the one at start if gone) */
	bool auditd_gone;    /* beside auditd: no audit daemon holds the stream any more */
	struct auditd_feed_counters feed;
};
void kaudit_source(struct kaudit_source_info *ret);

/* kaudit_counters() - false when canisterd is not the audit daemon. */
bool kaudit_counters(struct kaudit_counters *ret);

#endif
