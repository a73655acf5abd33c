/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: one audit log that events are written to (the host's or a sink's), in its format. */
#ifndef CANISTERD_AUDIT_OUTPUT_H
#define CANISTERD_AUDIT_OUTPUT_H

#include "lib/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct canister_audit_log;

struct audit_output {
	struct canister_audit_log *log;
	char path[CANISTER_CONFIG_PATH_MAX];
	enum canister_log_format format;
	uint64_t sink_contid; /* 0: the host's log */
	/* The last event as written (lines in the output's format), for readers. */
	char *bytes;
	size_t bytes_len, bytes_cap;
	uint64_t events, disk_full_lost, write_failures;
	uint64_t lost_pending; /* events not written since the disk filled */
	bool disk_full;
};

/* One event: its records in linux-audit text, each without a newline. */
struct audit_event_view {
	const char *const *records;
	const size_t *lens;
	size_t count;
};

struct canister_audit_log_policy;

/* audit_output_open() - open @path with @policy. Returns 0, or -errno with @why. */
int audit_output_open(struct audit_output *out, const char *path, enum canister_log_format format,
		      const struct canister_log_policy_config *policy, uint64_t sink_contid,
		      char *why, size_t why_len);

/*
 * audit_output_event() - write one event, each record one line.  A full disk
 * (ENOSPC, EDQUOT, EFBIG) drops the event and counts it; the first write
 * that succeeds again is preceded by a CONTAINER_LOST record (reason=disk_full)
 * saying how many events are missing.  out->bytes then holds what was written.
 * Returns 0, or -errno when the event was not written whole.
 */
int audit_output_event(struct audit_output *out, const struct audit_event_view *event);

/*
 * audit_output_lost() - write a CONTAINER_LOST record for @lost events that
 * never reached this output (reason=queue_full).  Returns 0 or -errno.
 */
int audit_output_lost(struct audit_output *out, uint64_t lost);

/* Rotations of the log and those that failed (retried at the next write); any thread. */
void audit_output_rotations(const struct audit_output *out, uint64_t *ret_rotations,
			    uint64_t *ret_failures);

/*
 * audit_output_rotate() - rotate the log now (SIGUSR1), from the thread that
 * writes it.  Returns 0 or -errno as canister_audit_log_rotate().
 */
int audit_output_rotate(struct audit_output *out);

void audit_output_close(struct audit_output *out);

const char *canister_log_format_name(enum canister_log_format format);

#endif
