/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the model observers of non-file events, run for the behaviour capability. */
#ifndef CANISTERD_MODEL_OBSERVED_H
#define CANISTERD_MODEL_OBSERVED_H

#include "core/canisterd.h"
#include "lib/status.h"

#include <stdint.h>

/*
 * model_observed_open() - once the capability started: loads the observers
 * of canisterd's mode (observers.h), watches their ring buffer in the main
 * loop and wants every container that has a domain.  Never fails the
 * capability: when the kernel runs none of them (no BTF, no attach point)
 * the models see only the file gate's events and the status says why.
 */
void model_observed_open(struct canisterd *d);
void model_observed_close(struct canisterd *d);

/* model_observed_tick() - each tick: reads what the programs sent without a wakeup; once a
 * second, the wanted map follows the domains (made, reloaded, or their container gone). */
void model_observed_tick(struct canisterd *d);

/*
 * model_observed_want() - container @contid has a domain from now on: its
 * processes' events are observed before the request that made it is
 * answered, and lsm mode judges them in the kernel once its domain is
 * enforced (model_deny_sync()).  Returns whether @contid is wanted (false
 * when the observers do not run or the wanted map refused it).
 */
bool model_observed_want(uint64_t contid);

/*
 * model_observed_enforce() - container @contid's domain was enforced: lsm
 * mode denies its events in the kernel from now on (observed_deny.h).
 */
void model_observed_enforce(uint64_t contid);

/*
 * model_observed_moved() - container @contid's domain moved to another mode:
 * trace mode records its processes' 32-bit calls once more each
 * (observers.h, canister_model_observers_compat_forget()), so that a call
 * first made while it learned is judged once it is sealed.  Before the
 * request that moved it is answered.  Main loop.
 */
void model_observed_moved(uint64_t contid);

/*
 * model_observed_drain() - every record the observers sent so far reaches its
 * domain now: a model request (a view, a seal) then answers with, or judges
 * after, every event the kernel recorded before it.  Main loop only.
 */
void model_observed_drain(void);

/* model_observed_status() - the observers' part of the model's status section. */
void model_observed_status(struct canister_model_status *ret);

#endif
