/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: per-container audit sinks, each with its own rules, bounded queue, log and readers. */
#ifndef CANISTERD_SINKS_H
#define CANISTERD_SINKS_H

#include "audit/output.h"
#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>

struct sink_info {
	struct canister_sink_config config;
	size_t rule_count;
	size_t queued;
	uint64_t events;	 /* written to the log */
	uint64_t dropped;	 /* not queued: the queue was full */
	uint64_t lost_records;	 /* CONTAINER_LOST records written for them */
	uint64_t disk_full_lost; /* not written: the log's disk was full */
	uint64_t write_failures;
	uint64_t rotations, rotation_failures;
	size_t readers;
};

/* sinks_open() - start the sinks the configuration names (kernel audit must be open). */
int sinks_open(struct canisterd *d, char *why, size_t why_len);

/*
 * sinks_add() - start a sink: load its rules into the kernel after the
 * host's, open its log and socket, start its writer.  Returns 0, or -errno
 * with @why (-EEXIST a sink for that container exists, -ENOSPC too many,
 * -EINVAL a rule or path refused, -ENOTCONN canisterd is not the audit daemon).
 */
int sinks_add(struct canisterd *d, const struct canister_sink_config *config, char *why,
	      size_t why_len);

/* sinks_remove() - stop the sink of @contid after writing what it queued. -ENOENT: none. */
int sinks_remove(struct canisterd *d, uint64_t contid, char *why, size_t why_len);

void sinks_close(struct canisterd *d);

/*
 * sinks_key_owner() - the sink whose rule carries @key: events the kernel
 * reports under it are that sink's alone and never the host's.
 */
bool sinks_key_owner(const char *key, uint64_t *ret_contid);

/*
 * sinks_route() - queue an event (@count records as @len bytes of lines,
 * each ending in '\n') to every sink that takes it (canister_sink_takes()).
 * Never blocks: a full queue drops the event for that sink only and counts it.
 */
struct canister_route;
void sinks_route(const char *lines, size_t len, size_t count, const struct canister_route *route);

/* sinks_tick() - periodic: frees sinks removed since the last tick. */
void sinks_tick(void);

size_t sinks_count(void);
bool sinks_get(size_t i, struct sink_info *ret);

#endif
