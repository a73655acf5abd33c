/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the behaviour model's say in the opens and execs the file gate holds. */
#ifndef CANISTERD_MODEL_GATE_GUARD_H
#define CANISTERD_MODEL_GATE_GUARD_H

#include "integrity/gate.h"
#include "model/event.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The file gate's guard (gate.h, struct gate_guard), after access's: for a
 * container with a domain, an exec is the event bprm_set_creds and an open
 * file_open, each made into its coefficient and run through the domain
 * (learn, or judge: forensics, untrusted, and in enforce a denial).  An
 * enforced container's event the gate cannot judge in time is denied
 * (fail_closed), whatever integrity_fail says.
 */
extern const struct gate_guard model_gate_guard;

/* model_gate_wants_opens() - whether any domain exists: the gate must see every open. */
bool model_gate_wants_opens(void);

/*
 * model_gate_event() - @event (its task_id filled in here) of @pid in
 * @contid, with the object it is about (@target, NULL: none), through the
 * domain: learned, or forensics (recorded, its process untrusted).
 * @cell_error: the -errno that left the event without a CELL (0: none), so
 * without a coefficient.  Returns true to allow; @synchronous: a gate holds
 * it and may deny it.  Any thread.
 */
bool model_gate_event(uint64_t contid, pid_t pid, struct canister_model_event *event,
		      int cell_error, const char *op, const char *target, bool synchronous);

/*
 * What identity's exec record says of an exec of a file the gate may not
 * have seen: on a kernel-internal mount (a memfd's), or without links.
 */
struct model_exec_seen {
	bool internal_mount; /* else unlinked, on a mount a user can see */
	uint64_t start_time; /* the process's start, in clock ticks (/proc/PID/stat's) */
	dev_t exe_dev;
	uint64_t exe_ino;
	const char *name;  /* the executable's dentry name ("memfd:NAME"), maybe "" */
	uint64_t ktime_ns; /* the exec, CLOCK_MONOTONIC */
};

/*
 * model_gate_unseen_exec() - @pid of @contid executed a program: when the
 * gate never saw that exec (@kernel: its file is on a kernel-internal mount,
 * a memfd's, or unlinked and its exec not in the TASK_ID table as seen;
 * NULL, an older run's record: model_facts_exec_unseen() tells from /proc),
 * an exec without a coefficient through the domain, too late to
 * deny: learning it is counted, sealed or enforced it is forensics
 * (recorded, res=1) and the process, while it runs, untrusted.  Main loop.
 */
void model_gate_unseen_exec(uint64_t contid, pid_t pid, const struct model_exec_seen *kernel);

/*
 * model_gate_init_executed_as() - model_gate_init_executed() by what
 * identity's record said of the exec (@kernel), whether @pid still runs or not.
 */
bool model_gate_init_executed_as(uint64_t contid, pid_t pid, const struct model_exec_seen *kernel);

/*
 * model_gate_init_executed() - @pid of @contid executed a program: when it is
 * the runtime's init's process and now runs another program than the
 * runtime's, the init phase ends here, as the gate's next event of it would
 * end it (a static workload may make none).  Returns whether it ended now.
 * Main loop.
 */
bool model_gate_init_executed(uint64_t contid, pid_t pid);

/*
 * model_gate_unseen_exec_denied() - lsm mode denied @pid of @contid (an
 * enforced domain) the exec of @path, a file the gate never sees (a
 * memfd): forensics (recorded, coefficient=none, res=0) and the process,
 * which still runs its former program, untrusted.  Main loop.
 */
void model_gate_unseen_exec_denied(uint64_t contid, pid_t pid, const char *path);

/*
 * model_gate_compat_call() - trace mode saw @pid of @contid make the 32-bit
 * system call @call (i386's number @nr, socketcall's or ipc's sub-call @sub,
 * else 0), whose native call is a @type event, without decoding it: an event without a coefficient
 * (learn: an unlearned one; sealed or enforced: forensics, op=compat-syscall, and the process
 * untrusted unless it is @gone).  Main loop.
 */
void model_gate_compat_call(uint64_t contid, pid_t pid, enum canister_model_event_type type,
			    const char *call, uint32_t nr, uint32_t sub, bool gone);

/*
 * model_gate_event_known() - an observed event (never synchronous) whose
 * @event->task_id its caller found already (from the TASK_ID table, for a
 * task that ended or executed another program since), as model_gate_event().
 * @gone: @pid ended: nothing is marked untrusted (its number may be reused).
 * @kernel_denied: an lsm hook denied it (an enforced domain): judged as a
 * synchronous event, and recorded as denied whatever the model says.
 */
bool model_gate_event_known(uint64_t contid, pid_t pid, struct canister_model_event *event,
			    const char *op, bool gone, bool kernel_denied);

#endif
