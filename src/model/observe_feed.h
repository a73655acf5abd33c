/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the behaviour model's entry point for observers of events no gate holds. */
#ifndef CANISTERD_MODEL_OBSERVE_FEED_H
#define CANISTERD_MODEL_OBSERVE_FEED_H

#include "model/event.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * For observers (BPF programs whose events reach canisterd through a ring
 * buffer: signals, ptrace, sockets, capabilities, setid, mounts) that make
 * each event a struct canister_model_event (event.h).
 *
 * model_wants_contid() - whether container @contid has a domain: an observer
 * may leave every other container's events out.  Any thread; never blocks
 * on more than a read lock held for a lookup.
 *
 * model_observe_event() - @ev, done by thread group @pid of container
 * @contid, runs through the container's domain exactly as a gate's event:
 * its TASK_ID (@ev->task_id is ignored and filled in) is the task's as the
 * model knows it (from its exec, or from /proc/PID/exe now), its
 * coefficient is learned, or once sealed it is forensics (a CONTAINER_MODEL
 * record, the process untrusted).  It is never denied: observed events are
 * not synchronous, the kernel has done them.  @ev's strings must stay valid
 * for the call only; pid, comm and ts are filled in when 0/NULL.  Any
 * thread.  Returns:
 *   0        learned, known, or recorded as forensics
 *   -ENOENT  @contid has no domain
 *   -ESRCH   @pid is gone: no TASK_ID (counted as an event without one)
 *   -EINVAL  @ev is not an event canister models (its CELL does not make bytes)
 */
int model_observe_event(uint64_t contid, pid_t pid, const struct canister_model_event *ev);

/*
 * model_observe_event_known() - model_observe_event() for an event whose
 * TASK_ID (@ev->task_id) the observer found already (canisterd's observers:
 * in the TASK_ID table by the task the record names, whether it still runs
 * or not).  @gone: @pid is no longer that task (ended, or its number
 * another's), so no process is marked untrusted for it.  @kernel_denied: a
 * BPF LSM hook denied it (lsm mode, an enforced domain): its record says
 * res=0.  Same returns, but -ESRCH.
 */
int model_observe_event_known(uint64_t contid, pid_t pid, const struct canister_model_event *ev,
			      bool gone, bool kernel_denied);
bool model_wants_contid(uint64_t contid);

/*
 * model_observe_unseen_exec_denied() - a BPF LSM hook denied @pid of
 * @contid (an enforced domain) the exec of @path, a file the gate never
 * sees (a memfd): forensics without a coefficient, res=0, and @pid
 * untrusted.  Returns 0, or -ENOENT: @contid has no domain.
 */
int model_observe_unseen_exec_denied(uint64_t contid, pid_t pid, const char *path);

/*
 * model_observe_compat_call() - trace mode saw @pid of @contid make a
 * 32-bit system call it does not decode (model_gate_compat_call()).
 * Returns 0, or -ENOENT: @contid has no domain.
 */
int model_observe_compat_call(uint64_t contid, pid_t pid, enum canister_model_event_type type,
			      const char *call, uint32_t nr, uint32_t sub, bool gone);

#endif
