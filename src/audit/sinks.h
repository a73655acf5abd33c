/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: per-container audit sinks, each with its own rules, bounded queue, log and readers. */
#ifndef CANISTERD_SINKS_H
#define CANISTERD_SINKS_H

#include "audit/output.h"
#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>

/* A reader whose socket takes nothing for this long is dropped: it never holds up its sink. */
#define SINK_READER_STALL_MS 5000
#define SINK_READER_STALL_TEXT "5 s"
/* Nor is more than this kept for a reader whose socket is full. */
#define SINK_READER_BACKLOG_BYTES (1u << 20)
#define SINK_READER_BACKLOG_TEXT "1 MiB"
/* sinks_close(): how long the writers get to write what was queued. */
#define SINKS_CLOSE_MS 10000

struct sink_info {
	struct canister_sink_config config;
	size_t rule_count;
	size_t queued, queued_bytes;
	uint64_t events; /* written to the log */
	/* Events the log never got, by why; dropped is their sum. */
	uint64_t dropped;
	uint64_t dropped_queue_events; /* the queue held config.backlog events */
	uint64_t dropped_queue_bytes;  /* the event would have taken it past config.backlog_bytes */
	uint64_t dropped_no_memory;
	uint64_t lost_at_stop;	 /* still queued at the stop's deadline */
	uint64_t lost_records;	 /* CONTAINER_LOST records written for the dropped ones */
	uint64_t disk_full_lost; /* not written: the log's disk was full */
	uint64_t write_failures;
	uint64_t rotations, rotation_failures;
	size_t readers;
	uint64_t
		readers_dropped; /* let go for not reading (SINK_READER_STALL_MS, _BACKLOG_BYTES) */
};

/* sinks_open() - start the sinks the configuration names (kernel audit must be open). */
int sinks_open(struct canisterd *d, char *why, size_t why_len);

/*
 * sinks_add() - start a sink: load its rules into the kernel after the
 * host's, open its log and socket, start its writer.  Returns 0, or -errno
 * with @why (-EEXIST a sink for that container exists, -EBUSY a removed
 * sink of that container or log is still writing what it had queued,
 * -ENOSPC too many, -EINVAL a rule or path refused, -ENOTCONN canisterd is
 * not the audit daemon).
 */
int sinks_add(struct canisterd *d, const struct canister_sink_config *config, char *why,
	      size_t why_len);

/*
 * sinks_remove() - stop the sink of @contid without waiting for it: its
 * rules leave the kernel and its socket closes at once; its writer writes
 * what was queued and ends by itself (sinks_tick() frees it).  -ENOENT: none.
 */
int sinks_remove(struct canisterd *d, uint64_t contid, char *why, size_t why_len);

/*
 * sinks_stop() - the first half of a stop; never blocks.  Every sink is
 * removed as by sinks_remove(): call it while canisterd is still the audit
 * daemon, so that the sinks' rules can be deleted.
 */
void sinks_stop(void);

/*
 * sinks_wait() - the second half: waits until every writer (of sinks
 * stopped or removed before) has written what was queued, or until
 * @deadline_ms (canister_queue_now_ms(): CLOCK_MONOTONIC, in ms).  What is
 * still queued then is counted in lost_at_stop and logged; a writer that
 * does not end within a second after that (stuck writing its log) is left
 * behind and logged.  Calls sinks_stop() if it was not.  Returns the events
 * lost at stop.
 */
uint64_t sinks_wait(uint64_t deadline_ms);

/* sinks_close() - sinks_stop(), then sinks_wait() up to SINKS_CLOSE_MS from now. */
void sinks_close(struct canisterd *d);

/*
 * sinks_key_owner() - the sink whose rule carries @key: events the kernel
 * reports under it are that sink's alone and never the host's.
 */
bool sinks_key_owner(const char *key, uint64_t *ret_contid);

/*
 * sinks_route() - queue an event (@count records as @len bytes of lines,
 * each ending in '\n') to every sink that takes it (canister_sink_takes()),
 * one copy shared by all.  Never blocks: a full queue drops the event for
 * that sink only and counts it.
 */
struct canister_route;
void sinks_route(const char *lines, size_t len, size_t count, const struct canister_route *route);

/* sinks_push() - as sinks_route(), for an event already copied (shared with the plugins). */
struct audit_queued_event;
void sinks_push(struct audit_queued_event *event, const struct canister_route *route);

/* sinks_tick() - periodic: frees removed sinks whose writers have ended; never waits. */
void sinks_tick(void);

size_t sinks_count(void);
bool sinks_get(size_t i, struct sink_info *ret);

#endif
