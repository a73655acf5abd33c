/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: each container's TASK_IDs of the tasks the model saw, by tgid, start, executable. */
#ifndef CANISTERD_MODEL_TASK_IDS_H
#define CANISTERD_MODEL_TASK_IDS_H

#include "model/digest.h"
#include "model/task_id_lru.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Tasks remembered at most for one container.  Each container has a table
 * of its own (memory taken as used): a container that runs more programs
 * than this forgets its own least recently used tasks whose process ended
 * (task_id_lru.h), never another container's.  A task forgotten has its
 * TASK_ID derived again from /proc/PID/exe and its credentials at its next
 * event; one whose process is gone by then has its queued events dropped
 * (docs/model.md, "TASK_ID").
 */
#define MODEL_TASK_IDS_MAX 16384

/* Containers with a table at most: as many as there can be domains (domains.h). */
#define MODEL_TASK_IDS_CONTAINERS 4096

/*
 * model_task_ids_get() - true with the TASK_ID of container @contid's task
 * @key in @ret.  Any thread.
 */
bool model_task_ids_get(uint64_t contid, const struct model_task_key *key,
			uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * model_task_ids_seen_at_exec() - whether container @contid's task @key had
 * its TASK_ID put as its exec was seen (the gate, the runtime's init), not
 * derived from /proc at a later event.  Any thread.
 */
bool model_task_ids_seen_at_exec(uint64_t contid, const struct model_task_key *key);

/*
 * model_task_ids_put() - container @contid's task @key has @task_id from
 * now on; @derived when derived from /proc at a later event, not seen at its
 * exec (model_task_id_lru_put()).  Any thread.  Not remembered (and warned about once) when memory
 * or the MODEL_TASK_IDS_CONTAINERS tables run out: its next event derives
 * it again.
 */
void model_task_ids_put(uint64_t contid, const struct model_task_key *key,
			const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE], bool derived);

struct model_task_ids_stats {
	uint64_t held;	     /* tasks remembered now, all containers */
	uint64_t forgotten;  /* entries forgotten for want of room, since the start */
	uint64_t containers; /* containers that had to forget some of their own */
	uint64_t refused;    /* puts not remembered: no memory, or no table left */
};

void model_task_ids_stats(struct model_task_ids_stats *ret);

/* The tasks container @contid has remembered now, and how many it had to forget. */
void model_task_ids_container(uint64_t contid, uint64_t *ret_held, uint64_t *ret_forgotten);

/* model_task_ids_forget() - container @contid's table goes (its domain was freed). */
void model_task_ids_forget(uint64_t contid);

/* Every table goes, and the counters start again. */
void model_task_ids_clear(void);

/*
 * model_task_ids_on_put() - @fn (NULL: none) is told each TASK_ID put, after
 * the table took it, on the putting thread: lsm mode copies them into the
 * kernel, where the observers judge an enforced domain's events.
 */
void model_task_ids_on_put(void (*fn)(const struct model_task_key *key,
				      const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]));

#endif
