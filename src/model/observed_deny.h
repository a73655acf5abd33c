/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd, lsm mode: an enforced domain's events denied in the kernel
 * (docs/model.md, "Denied in the kernel"): the TASK_IDs the gate remembers
 * copied into the kernel, each enforced domain's coefficients with them.
 */
#ifndef CANISTERD_MODEL_OBSERVED_DENY_H
#define CANISTERD_MODEL_OBSERVED_DENY_H

#include "lib/status.h"
#include "model/observe_decode.h"
#include "model/task_ids.h"

#include <stdint.h>

struct canister_model_observers;

/* model_deny_start() - the observers' deny maps in use (lsm mode; nothing in trace mode). */
void model_deny_start(struct canister_model_observers *observers);
void model_deny_stop(void);

/*
 * model_deny_sync() - container @contid's events are judged in the kernel
 * when its domain is enforced and its runtime's init phase has ended (its
 * coefficients copied first), and no longer when @wanted is false (its
 * container ended).  Main loop only.
 */
void model_deny_sync(uint64_t contid, bool wanted);

/*
 * model_deny_task_id() - the process @key names runs with @task_id while
 * it runs @key's executable: written into its task storage in the kernel
 * (each TASK_ID the table takes; again for a process the kernel denied for
 * want of one).  Nothing when the process ended or its pid is another's.
 * Any thread.
 */
void model_deny_task_id(const struct model_task_key *key,
			const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * model_deny_check() - an observed event the kernel judged, with its
 * coefficient as canisterd computed it: a kernel coefficient that differs
 * is counted and logged (the two computations must agree byte for byte).
 */
void model_deny_check(const struct canister_model_observed *o,
		      const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE]);

/* model_deny_status() - what lsm mode denies, and the counters. */
void model_deny_status(struct canister_model_status *ret);

#endif
