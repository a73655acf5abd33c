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
	/*
	 * The batch being gathered, in the output's format; after a flush, what
	 * it wrote (written_len bytes: one event's lines, for a sink's readers).
	 */
	char *bytes;
	size_t bytes_len, bytes_cap, written_len;
	size_t *batch_ends; /* where each event of the batch ends in @bytes */
	size_t batch_count, batch_cap;
	uint64_t events, disk_full_lost, write_failures;
	uint64_t lost_pending; /* events not written since the disk filled */
	bool disk_full;
};

struct canister_audit_log_policy;

/* audit_output_open() - open @path with @policy. Returns 0, or -errno with @why. */
int audit_output_open(struct audit_output *out, const char *path, enum canister_log_format format,
		      const struct canister_log_policy_config *policy, uint64_t sink_contid,
		      char *why, size_t why_len);

/*
 * Events are written in batches: audit_output_add() gathers an event, given
 * as its lines (each ending in '\n', as event.h keeps them), converted to the
 * output's format (text as it is; JSON lines of any size); audit_output_flush()
 * writes every gathered event with one system call, whole.  The main loop
 * flushes once per batch of kernel messages it read, so a storm costs one
 * write per batch, not one per record.
 *
 * A full disk (ENOSPC, EDQUOT, EFBIG) drops the events that do not fit and
 * counts them (disk_full_lost); the first write that succeeds again is
 * preceded by a CONTAINER_LOST record (reason=disk_full) saying how many
 * events are missing.  Any other failure is counted in write_failures.  A
 * failed batch is retried event by event, so that the counts are exact.
 */

/* audit_output_add() - gather one event.  Returns 0, or -errno (counted, not gathered). */
int audit_output_add(struct audit_output *out, const char *lines, size_t len);

/* audit_output_flush() - write what was gathered.  Returns 0 or the batch's -errno. */
int audit_output_flush(struct audit_output *out);

/* Events gathered and not yet flushed. */
size_t audit_output_batched(const struct audit_output *out);

/*
 * audit_output_event_lines() - one event, written now (add and flush); then
 * out->bytes holds what was written (written_len bytes).
 * Returns 0, or -errno when the event was not written.
 */
int audit_output_event_lines(struct audit_output *out, const char *lines, size_t len);

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
