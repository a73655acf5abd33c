/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: where each audit event goes: the host log, the auditd plugins, the sinks. */
#ifndef CANISTERD_AUDIT_DISPATCH_H
#define CANISTERD_AUDIT_DISPATCH_H

#include "audit/event.h"
#include "audit/host_rules.h"
#include "core/canisterd.h"

#include <stdint.h>

/*
 * dispatch_open() - open host_log in its format; events go there and to
 * the plugins once the host's rules let them, and to every sink that takes
 * them (route.h).  @host_rules stays the caller's.  Returns 0 or -errno with @why.
 */
int dispatch_open(struct canisterd *d, const struct audit_host_rules *host_rules,
		  const char *node_prefix, char *why, size_t why_len);
void dispatch_close(void);

/*
 * dispatch_event() - one attributed and enriched kernel event.  The host
 * log's share is gathered, and written at dispatch_flush(); plugins and sinks
 * are queued to (never waited for).
 */
void dispatch_event(const struct audit_event *event);

/* dispatch_flush() - write what the host log gathered: once per batch of kernel messages. */
void dispatch_flush(void);

/*
 * dispatch_own_record() - one of canister's own records (a line ending in
 * '\n'), as an event of its own, to the host log and plugins, and to the
 * sinks of @contid's chain (CANISTER_CONTID_UNSET: none).
 */
void dispatch_own_record(struct canisterd *d, const char *line, size_t len, uint64_t contid);

/* dispatch_rotate_host_log() - SIGUSR1.  Returns 0 or -errno. */
int dispatch_rotate_host_log(void);

struct dispatch_counters {
	uint64_t events;    /* to the host log (gathered; see the output's own counts) */
	uint64_t filtered;  /* left out by the host's contid filters */
	uint64_t sink_only; /* caused by a sink's rule: that sink's, not the host's */
	uint64_t write_failures, disk_full_lost, rotations, rotation_failures; /* host log */
};
void dispatch_counters(struct dispatch_counters *ret);

#endif
