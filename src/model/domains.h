/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: each container's behaviour domain: its model and its mode (learn, seal, enforce). */
#ifndef CANISTERD_MODEL_DOMAINS_H
#define CANISTERD_MODEL_DOMAINS_H

#include "model/ended.h"
#include "model/judge.h"
#include "model/model.h"
#include "model/runtime_init.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Containers with a domain at most; one more is refused with -E2BIG. */
#define MODEL_DOMAINS_MAX 4096

/* A domain's counters, since it was made (or reloaded). */
struct model_domain_counts {
	uint64_t events;    /* judged or observed */
	uint64_t forensic;  /* of those, forensics (violations) */
	uint64_t denied;    /* of those, denied at the gate */
	uint64_t unlearned; /* learning, but not added (a full model, an unreadable file) */
	/* Processes its forensics marked untrusted, those that ended since included */
	uint64_t untrusted_marked;
	/* Observed events dropped without a TASK_ID (never judged: not in @events) */
	uint64_t observed_dropped;
	/* Observed events' TASK_IDs the table did not hold, read in /proc (or dropped) */
	uint64_t task_id_misses;
};

/*
 * A domain is its own container's: a nested container has its own, and an
 * ancestor's domain does not see its events.  A domain lives until its
 * container ended and it was saved and freed (model_domains_free()), or until
 * canisterd stops (model_domains_clear()); each function holds it locked while
 * it uses it, so freeing waits for it.  Every function may be called from any
 * thread.
 */

/*
 * model_domains_add() - container @contid's domain from now on: @model (taken
 * on success; a new learning model when NULL) in @mode, made with its
 * runtime's @init (may be NULL; runtime_init.h): the init's steps before the
 * workload's first exec are no events.  Returns 0, -EBUSY when it has one,
 * -E2BIG past MODEL_DOMAINS_MAX, -ENOMEM.
 */
int model_domains_add(uint64_t contid, struct canister_model *model, enum model_mode mode,
		      const struct model_runtime_init *init);

/* model_domains_init_copy() - 0 with the runtime's init phase as it is now, else -ENOENT. */
int model_domains_init_copy(uint64_t contid, struct model_runtime_init *ret);

/* model_domains_init_tgid() - 0 with the runtime's init while its phase lasts, else -ENOENT. */
int model_domains_init_tgid(uint64_t contid, pid_t *ret_tgid);

/* model_domains_init_gate(), _observed() - model_runtime_init_gate(), _observed() for @contid. */
bool model_domains_init_gate(uint64_t contid, pid_t tgid, uint64_t start_time, uint64_t exe_dev,
			     uint64_t exe_ino, bool exec, uint64_t file_dev, uint64_t file_ino,
			     uint64_t now_ns);
bool model_domains_init_observed(uint64_t contid, pid_t tgid, uint64_t exe_dev, uint64_t exe_ino,
				 uint64_t ktime_ns);

/* model_domains_mode() - 0 with @contid's mode, or -ENOENT (no domain). */
int model_domains_mode(uint64_t contid, enum model_mode *ret_mode);

/* model_domains_count() - how many containers have a domain, and of them in each mode. */
size_t model_domains_count(size_t ret_by_mode[3]);

/*
 * model_domains_advance() - @contid's domain moves to @to (learn, seal or
 * enforce; model_mode_advance()).  Returns 0 (moved), 1 (in @to already),
 * -ENOENT, -EPERM (backward; @why says so).  Sealing seals the model.
 */
int model_domains_advance(uint64_t contid, enum model_mode to, char *why, size_t why_len);

/*
 * model_domains_observe() - an event of @contid's gave @coefficient
 * (@coefficient_error: the -errno that gave none): the model learns it or
 * judges it (model_judge()), keeping @description (may be NULL) with a new
 * point.  Returns 0 with the judgement and the mode it was judged in, or
 * -ENOENT (no domain).
 */
int model_domains_observe(uint64_t contid, const uint8_t *coefficient, int coefficient_error,
			  const char *description, bool synchronous, struct model_judgement *ret,
			  enum model_mode *ret_mode);

/*
 * model_domains_count_observed() - an observed event of @contid needed
 * @task_id_misses TASK_IDs the table did not hold, and was @dropped
 * without one: counted in its domain's counters, so that `model N counts`
 * shows what could not be completed.  Nothing when it has no domain.
 */
void model_domains_count_observed(uint64_t contid, unsigned int task_id_misses, bool dropped);

/*
 * model_domains_count_untrusted() - @contid's forensics marked one more
 * process untrusted: `model N untrusted` lists those still running, this
 * count says how many there were.
 */
void model_domains_count_untrusted(uint64_t contid);

/*
 * model_domains_with() - @fn on @contid's model and mode, under its lock (it
 * must not block on anything but memory).  Returns @fn's value, or -ENOENT.
 */
int model_domains_with(uint64_t contid,
		       int (*fn)(const struct canister_model *model, enum model_mode mode,
				 const struct model_domain_counts *counts, void *data),
		       void *data);

/*
 * model_domains_file_digest() - the digest @contid's file CELL takes for
 * @path (a pseudonym's, or @content).  Returns 0, -ENOENT, or the errors of
 * canister_model_file_digest().
 */
int model_domains_file_digest(uint64_t contid, const char *path, const uint8_t *content,
			      uint8_t *ret_digest);

/*
 * model_domains_dirty() - up to @max contids whose model or mode changed
 * since model_domains_saved() was last called for them at their generation,
 * with that generation.  Returns how many.
 */
size_t model_domains_dirty(uint64_t *ret_contids, uint64_t *ret_generations, size_t max);

/* model_domains_saved() - @contid is on disk as of @generation. */
void model_domains_saved(uint64_t contid, uint64_t generation);

/* model_domains_list() - up to @max contids with a domain, ascending; returns how many. */
size_t model_domains_list(uint64_t *ret_contids, size_t max);

/* model_domains_totals() - the counters summed over every domain. */
void model_domains_totals(struct model_domain_counts *ret);

/*
 * model_domains_on_step() - @fn (NULL: none) is told each step of every
 * domain's measurement, SHA-256(base || digest) of the aggregate and then of
 * each new point (and SHA-1 of the same bytes, @step_sha1, for a TPM's sha1
 * bank), in the measurement's order, under the domain's lock: all of a
 * domain's steps so far when it is added (also a reloaded or loaded one),
 * then one per new coefficient.  Set before any domain is added.
 */
void model_domains_on_step(void (*fn)(uint64_t contid,
				      const uint8_t step[CANISTER_MODEL_DIGEST_SIZE],
				      const uint8_t step_sha1[CANISTER_MODEL_SHA1_SIZE]));

/*
 * model_domains_set_ended() - @contid's container was seen ended at @now_ms
 * (the first time counts; monotonic, not 0), or 0: it lives (a contid
 * registered again).  Nothing when it has no domain.
 */
void model_domains_set_ended(uint64_t contid, uint64_t now_ms);

/* model_domains_ended() - up to @max domains whose container ended; returns how many. */
size_t model_domains_ended(struct model_ended *ret, size_t max);

/*
 * model_domains_free() - @contid's domain leaves memory (its container ended;
 * it is on disk).  Returns 0, -ENOENT, or -EBUSY when it changed since it was
 * last saved (it stays, and is tried again after the next save).
 */
int model_domains_free(uint64_t contid);

/* model_domains_clear() - every domain goes (canisterd stops; no judge may be running). */
void model_domains_clear(void);

#endif
