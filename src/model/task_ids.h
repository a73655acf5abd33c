/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the TASK_ID of each task the model saw, by (tgid, start time, executable). */
#ifndef CANISTERD_MODEL_TASK_IDS_H
#define CANISTERD_MODEL_TASK_IDS_H

#include "model/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Tasks remembered at most.  When the table is full it forgets every task
 * and starts again: each task's next event derives its TASK_ID again from
 * /proc/PID/exe (a hash from integrity's digest cache, or a read of the
 * executable), which costs time, never a wrong TASK_ID.
 */
#define MODEL_TASK_IDS_MAX 16384

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

/* model_task_ids_get() - true with @key's TASK_ID in @ret. Any thread. */
bool model_task_ids_get(const struct model_task_key *key, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/* model_task_ids_put() - @key has @task_id from now on.  Any thread. */
void model_task_ids_put(const struct model_task_key *key,
			const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]);

/* How many tasks are remembered, and how often the table was full and forgot them all. */
void model_task_ids_stats(size_t *ret_count, uint64_t *ret_resets);

void model_task_ids_clear(void);

/*
 * model_task_ids_on_put() - @fn (NULL: none) is told each TASK_ID put, after
 * the table took it, on the putting thread: lsm mode copies them into the
 * kernel, where the observers judge an enforced domain's events.
 */
void model_task_ids_on_put(void (*fn)(const struct model_task_key *key,
				      const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]));

#endif
