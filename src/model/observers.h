/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: the BPF observers of non-file events: load, want, poll, close. */
#ifndef CANISTER_MODEL_OBSERVERS_H
#define CANISTER_MODEL_OBSERVERS_H

#include "model/observe_decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_object;

enum canister_model_observe_mode {
	CANISTER_MODEL_OBSERVE_TRACE, /* tracepoints: every kernel with BTF */
	CANISTER_MODEL_OBSERVE_LSM,   /* BPF LSM hooks (deny some of an enforced domain's events) */
};

struct canister_model_observers_config {
	enum canister_model_observe_mode mode;
	/* Where canisterd pinned the identity maps (the labels the observers read). */
	const char *identity_pin_path;
	/* Where the observers pin their links; NULL: not pinned (they end with the process). */
	const char *pin_path;
	uint32_t budget_per_second; /* records a container may send a second; 0: 10,000 */
	uint32_t budget_burst;	    /* and at once; 0: 1,000 */
	/*
	 * Called with the loaded object before its first program attaches (NULL:
	 * nobody): canisterd's loader takes its maps and programs into the
	 * identity guard's set (loader_note_object()), so that in lsm mode a
	 * labelled process cannot get an fd to them by id.
	 */
	void (*loaded)(struct bpf_object *obj);
};

struct canister_model_observers_counts {
	uint64_t emitted;      /* records the programs sent */
	uint64_t over_budget;  /* dropped in the kernel: a container spent its budget */
	uint64_t ring_full;    /* dropped in the kernel: no room in the ring buffer */
	uint64_t stash_full;   /* setid calls not followed to their exit (too many at once) */
	uint64_t origins_full; /* forks the kernel had no memory for an entry of (observe_abi.h) */
	uint64_t decoded;      /* records read and decoded */
	uint64_t malformed;    /* records read and refused by the decoder (never trusted) */
	int malformed_last;    /* the decoder's error for the last of them (0: none yet) */
	uint32_t malformed_last_kind; /* and the kind its head claimed (0: too short to say) */
};

struct canister_model_observers;

/*
 * Called for every record that decoded; @observed is the callee's to
 * complete (observe_resolve.h) during the call, not after.
 */
typedef void (*canister_model_observed_fn)(struct canister_model_observed *observed, void *ctx);

/*
 * canister_model_observers_open() - loads and attaches the variant of
 * @config's mode.  A program the kernel refuses (no such tracepoint, hook
 * or BTF) is left out and its event reported unavailable, with the reason;
 * the rest run.  Returns 0 and *@ret, or a negative errno with one line in
 * @why: -EINVAL (no identity_pin_path), -ENOENT (no labels map pinned at
 * identity_pin_path: no canisterd there), -ENOTSUP (not one program
 * loaded), -ENOMEM, libbpf's errors.
 */
int canister_model_observers_open(const struct canister_model_observers_config *config,
				  struct canister_model_observers **ret, char *why, size_t why_len);

/*
 * canister_model_observers_compat() - whether trace mode's 32-bit system
 * calls are seen (observe_compat_trace.bpf.h; lsm mode's hooks see them
 * all); if not, *@ret_why says why.
 */
bool canister_model_observers_compat(const struct canister_model_observers *observers,
				     const char **ret_why);

/*
 * canister_model_observers_compat_forget() - trace mode's 32-bit calls of
 * container @contid's processes are recorded again from now on, each once
 * more (its domain's mode changed: what was recorded while it learned is
 * judged again once it is sealed).  Returns how many (process, call) pairs
 * it forgot (0 in lsm mode, which keeps none), the map's -errno, or -EAGAIN when a walk
 * that LRU evictions kept restarting was cut short (some pairs may stay).
 */
int canister_model_observers_compat_forget(struct canister_model_observers *observers,
					   uint64_t contid);

/*
 * canister_model_observers_origins() - whether the kernel keeps each
 * observed process's origin (observe_abi.h: the records of a forked child
 * that never executes name the task whose TASK_ID it runs with); if not,
 * *@ret_why says why.
 */
bool canister_model_observers_origins(const struct canister_model_observers *observers,
				      const char **ret_why);

/*
 * canister_model_observers_available() - whether events of @type are
 * observed; *@ret_how says how (the programs), or why not.
 */
bool canister_model_observers_available(const struct canister_model_observers *observers,
					enum canister_model_event_type type, const char **ret_how);

/*
 * canister_model_observers_want() - the processes of container @contid are
 * observed from now on (its budget full).  Returns 0 (also when wanted
 * already), -ENOSPC (CANISTER_MODEL_OBS_WANTED_MAX containers wanted), or
 * the map's error.  canister_model_observers_unwant(): no longer; 0 or
 * -ENOENT.
 */
int canister_model_observers_want(struct canister_model_observers *observers, uint64_t contid);
int canister_model_observers_unwant(struct canister_model_observers *observers, uint64_t contid);

/* canister_model_observers_is_wanted() - whether @contid is in the wanted map. */
bool canister_model_observers_is_wanted(const struct canister_model_observers *observers,
					uint64_t contid);

/*
 * canister_model_observers_wanted() - the containers wanted now, as the
 * programs see them (the map itself: no copy to fall out of step with it):
 * the first @max into @ret (NULL: counted only).  Returns how many are
 * wanted, or the map's -errno.  Only one thread may change what is wanted
 * meanwhile: a key deleted during the walk would restart it.
 */
int canister_model_observers_wanted(const struct canister_model_observers *observers, uint64_t *ret,
				    size_t max);

/*
 * canister_model_observers_poll() - waits up to @timeout_ms for records and
 * hands each that decodes to @fn.  The programs wake a waiting reader only
 * when the ring buffer is a quarter full: a reader polls on a timer (the
 * records wait at most that long) and reads whatever is there when it
 * ends.  Returns the records read or a negative errno (-EINTR when a
 * signal came).
 */
int canister_model_observers_poll(struct canister_model_observers *observers, int timeout_ms,
				  canister_model_observed_fn fn, void *ctx);

/*
 * canister_model_observers_fd() - a descriptor that polls readable when the
 * programs woke the reader (a main loop watches it; it still polls on a
 * timer, since they wake it only when the ring buffer is a quarter full).
 */
int canister_model_observers_fd(const struct canister_model_observers *observers);

/* The global counters; and one container's (0, or -ENOENT when it is not wanted). */
void canister_model_observers_counts(const struct canister_model_observers *observers,
				     struct canister_model_observers_counts *ret);
int canister_model_observers_container(const struct canister_model_observers *observers,
				       uint64_t contid, struct canister_model_obs_wanted *ret);

/*
 * canister_model_observers_deny() - the maps from which lsm mode denies an
 * enforced domain's events (observe_deny.h), or NULL with the reason in
 * *@ret_error (-ENOTSUP in trace mode, which denies nothing).
 */
struct canister_model_deny *
canister_model_observers_deny(struct canister_model_observers *observers, int *ret_error);

/* canister_model_observers_close() - detaches, removes the pins it made, frees. NULL is fine. */
void canister_model_observers_close(struct canister_model_observers *observers);

#endif
