/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: the maps from which the observers
 * deny an enforced domain's events in the kernel (bpf/observe_deny.bpf.h):
 * the TASK_IDs of the tasks the gate saw execute, each enforced domain's
 * coefficients, and which domains are enforced.
 */
#ifndef CANISTER_MODEL_OBSERVE_DENY_H
#define CANISTER_MODEL_OBSERVE_DENY_H

#include "model/digest.h"
#include "model/observe_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct bpf_object;
struct canister_model_deny;

/*
 * canister_model_deny_open() - the deny maps of the loaded lsm observers
 * @obj, their settings written (each kind's H(EVENT_ID), the clock of
 * start times).  Returns 0 and *@ret, -ENOENT when @obj has none (the
 * trace variant), -ENOMEM, or the map's error.
 */
int canister_model_deny_open(struct bpf_object *obj, struct canister_model_deny **ret);
void canister_model_deny_free(struct canister_model_deny *deny);

/*
 * canister_model_deny_task() - the process @pidfd names, which started at
 * @start_ticks (/proc/PID/stat's field 22), runs with @task_id while it
 * runs the executable @exe_dev (as stat() gives it), @exe_ino: written into
 * its task storage beside the one it had for another executable (the
 * program running while the gate holds its exec), in place of an older
 * one.  The kernel takes it for no other process or program.  Any thread.
 * Returns 0, or the map's error (-ESRCH: the process has ended).
 */
int canister_model_deny_task(struct canister_model_deny *deny, int pidfd, uint64_t start_ticks,
			     uint64_t exe_dev, uint64_t exe_ino,
			     const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * canister_model_deny_task_put() - @task_id into a process's entry @ids
 * for the executable (@kernel_dev as the kernel numbers it, @exe_ino) and
 * start @start_ticks: in the slot that has that executable and start
 * already, else in place of the one written before the last.  Pure.
 */
void canister_model_deny_task_put(struct canister_model_obs_task_ids *ids, uint64_t start_ticks,
				  uint64_t kernel_dev, uint64_t exe_ino,
				  const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * canister_model_deny_allow() - @coefficient is in container @contid's
 * model.  Returns 0, -E2BIG (CANISTER_MODEL_OBS_ALLOWED_MAX coefficients
 * held in all), or the map's error.
 */
int canister_model_deny_allow(struct canister_model_deny *deny, uint64_t contid,
			      const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * canister_model_deny_enforce() - container @contid's events are judged in
 * the kernel from now on (@on; its coefficients allowed first), or no
 * longer (then its coefficients are removed too).  Returns 0, -ENOSPC, or
 * the map's error.
 */
int canister_model_deny_enforce(struct canister_model_deny *deny, uint64_t contid, bool on);

/* The bytes of a task's @exe_dev in the kernel's maps: the kernel's s_dev of @dev. */
uint64_t canister_model_deny_kernel_dev(uint64_t dev);

#endif
