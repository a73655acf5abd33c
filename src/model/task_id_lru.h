/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: one container's TASK_IDs, the least recently used forgotten first (pure). */
#ifndef CANISTERD_MODEL_TASK_ID_LRU_H
#define CANISTERD_MODEL_TASK_ID_LRU_H

#include "model/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A task as TASK_ID names it: the thread group, when it started (a pid
 * reused later is another task), and the executable it runs (an exec is a
 * new TASK_ID).
 */
struct model_task_key {
	pid_t tgid;
	uint64_t start_time; /* /proc/PID/stat field 22, clock ticks since boot */
	uint64_t exe_dev, exe_ino;
};

/*
 * How many of the least recently used entries a put that needs room passes
 * over because their task still runs (each moved to the newest end), before
 * it forgets the oldest whatever it is: a long-lived idle process keeps its
 * entry against a storm of short programs in its own container, and a
 * container whose processes all live still gets room, at a bounded cost.
 */
#define MODEL_TASK_ID_LRU_SPARED 4

struct model_task_id_entry {
	struct model_task_key key;
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
	bool derived;	       /* from /proc at a later event, not seen at the exec */
	uint32_t newer, older; /* the use order, by index */
	uint32_t chain;	       /* the next entry of the same bucket */
};

/* Zeroed, it is an empty table that holds nothing: set @limit (model_task_id_lru_init()). */
struct model_task_id_lru {
	struct model_task_id_entry *entries; /* @room of them, @count used */
	uint32_t count, room, limit;
	uint32_t *buckets; /* @nbuckets (a power of two, at least @room) chain heads */
	uint32_t nbuckets;
	uint32_t newest, oldest;
	uint64_t forgotten; /* entries forgotten for want of room */
};

/* model_task_id_lru_init() - an empty table of at most @limit (at least 1) entries. */
void model_task_id_lru_init(struct model_task_id_lru *t, uint32_t limit);

/* model_task_id_lru_free() - its memory; the table is empty afterwards (@limit kept). */
void model_task_id_lru_free(struct model_task_id_lru *t);

/* model_task_id_lru_get() - true with @key's TASK_ID in @ret; @key becomes the newest. */
bool model_task_id_lru_get(struct model_task_id_lru *t, const struct model_task_key *key,
			   uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * model_task_id_lru_seen_at_exec() - whether @key's TASK_ID was put as its
 * exec was seen, not @derived at a later event.  The use order is unchanged.
 */
bool model_task_id_lru_seen_at_exec(const struct model_task_id_lru *t,
				    const struct model_task_key *key);

/*
 * model_task_id_lru_put() - @key has @task_id from now on, the newest;
 * @derived when it was derived from /proc at a later event (a @key once put
 * as seen at its exec stays so).  The memory grows as used, up to @limit
 * entries; then the least recently used entry is forgotten, but for up to MODEL_TASK_ID_LRU_SPARED
 * of them for which @lives (NULL: none) says their task still runs.  Returns 0, 1 when an entry was
 * forgotten (counted in @forgotten), or -ENOMEM (nothing changed).
 */
int model_task_id_lru_put(struct model_task_id_lru *t, const struct model_task_key *key,
			  const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE], bool derived,
			  bool (*lives)(const struct model_task_key *key, void *ctx), void *ctx);

#endif
