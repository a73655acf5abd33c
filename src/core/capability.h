/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the one seam between the daemon's core and its capabilities (identity, audit, ...). */
#ifndef CANISTERD_CAPABILITY_H
#define CANISTERD_CAPABILITY_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"
#include "lib/status.h"

#include <canister/abi.h>
#include <stdint.h>
#include <sys/types.h>

struct rotation_report;

/* A labelled process's exec, as identity's exec record tells it (abi.h). */
struct process_exec {
	pid_t pid; /* its thread group */
	uint64_t contid;
	/*
	 * The record comes from this run's programs, which say whether the
	 * executable was reached through a kernel-internal mount; false: maybe
	 * from an older run's (sent while canisterd was stopped), which did not.
	 */
	bool kernel_tells;
	/*
	 * Its executable was reached through a kernel-internal mount (a
	 * memfd's), which no fanotify mark covers; or it had no link left, on
	 * a mount a user can see.  Known from the kernel, so also when the
	 * process ended before the record was read; with either, @start_ns
	 * (its leader's start_boottime), @exe_dev (the kernel's s_dev),
	 * @exe_ino and @name (the executable's dentry name) hold.
	 */
	bool internal_mount, unlinked;
	uint64_t start_ns, exe_dev, exe_ino;
	const char *name;
	uint64_t ktime_ns; /* the exec, CLOCK_MONOTONIC */
};

/*
 * A control request a capability answers: @handle has the shape core/reply.h
 * describes (0 with the op's reply filled, or -errno with the reason).
 */
typedef int (*capability_request_fn)(struct canisterd *d, const struct peer *peer,
				     const struct canister_request *request,
				     struct canister_reply *ret);
struct capability_request {
	enum canister_op op;
	capability_request_fn handle;
};

/*
 * The core knows a capability only through this table entry: it opens the
 * capabilities in table order and closes them in reverse, and fans out
 * reloads, ticks and process lives to each of them.  A capability keeps its
 * state in its own folder; another capability reaches it through its header,
 * never through its maps or its state.  Every member but @name may be NULL.
 */
struct capability {
	const char *name;

	/*
	 * Start: load and attach its programs, open its files, watch its fds
	 * (loop_add()).  Returns 0, or -errno with @why, which refuses the
	 * daemon's start; the capabilities opened before it are closed again.
	 */
	int (*open)(struct canisterd *d, char *why, size_t why_len);

	/*
	 * Stop what it started, without waiting on anything but its own bounded
	 * work: pinned programs and maps stay (labels outlive canisterd).
	 */
	void (*close)(struct canisterd *d);

	/*
	 * SIGHUP, after the core accepted @fresh and before it replaces
	 * d->config: apply what may change while running.  Keys that need a
	 * restart are the config's to say (canister_config_restart_keys()).
	 */
	void (*reload)(struct canisterd *d, const struct canister_config *fresh);

	/* Every CANISTERD_TICK_MS, from the core's one timer. */
	void (*tick)(struct canisterd *d);

	/*
	 * A labelled thread group was created by fork, or a labelled one ended;
	 * @contid is its container (or CANISTER_CONTID_UNSET for a delegated
	 * orchestrator outside containers), @ktime_ns when BPF saw it.
	 */
	void (*process_started)(struct canisterd *d, pid_t pid, uint64_t ktime_ns);
	void (*process_exited)(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns);

	/*
	 * A labelled thread group executed a program (BPF saw the exec end):
	 * @exec->contid is its container, as for process_exited.  It may have
	 * ended or executed another since.
	 */
	void (*process_executed)(struct canisterd *d, const struct process_exec *exec);

	/*
	 * The first live container was created (@any true: before its first
	 * label is written, so before its registration is answered), or the
	 * last one was removed (@any false).  Containers a previous canisterd
	 * left are not announced: identity_live_containers() says at open.
	 */
	void (*containers_present)(struct canisterd *d, bool any);

	/*
	 * `canister status`: fill the capability's own section of @ret (lib/status.h)
	 * and add its warnings to ret->warnings.  Bounded, and never reads /proc or
	 * waits on the main loop: it runs there.
	 */
	void (*status)(struct canisterd *d, struct canister_status *ret);

	/*
	 * The container of a control caller, for the control socket's limits
	 * (core/control_limits.h): its outermost contid in *ret_contid, or
	 * CANISTER_CONTID_UNSET when it is in none.  Returns 0 or -errno.
	 */
	int (*caller_container)(struct canisterd *d, const struct peer *peer, uint64_t *ret_contid);
	/* The control requests it answers; ends with a NULL handle. */
	const struct capability_request *requests;

	/*
	 * SIGUSR1: start the logs it writes afresh now, as auditd's SIGUSR1
	 * does, and say how each went (rotation_report_add()).
	 */
	void (*rotate_logs)(struct canisterd *d, struct rotation_report *report);

	/*
	 * The names of the maps it pins under pin_path, one NULL-terminated
	 * list for each of its BPF objects (the list its loader pins with),
	 * the lists NULL-terminated: `--unload` removes them.
	 */
	const char *const *const *pinned_maps;

	/*
	 * A helper process it spawns from canisterd's own binary: `canisterd
	 * @helper_arg ...` runs @helper_main(argc, argv) instead of the daemon.
	 */
	const char *helper_arg;
	int (*helper_main)(int argc, char **argv);
};

/* How often the core's timer ticks: also the ring buffer's drain period (abi.h). */
#define CANISTERD_TICK_MS CANISTER_EVENTS_DRAIN_MS

/* The table, in opening order; NULL-terminated.  src/core/capabilities.c. */
extern const struct capability *const canisterd_capabilities[];

/*
 * capabilities_open() - open every capability in order.  Returns 0, or the
 * first failure's -errno with @why naming the capability; those opened
 * before it are closed again.
 */
int capabilities_open(struct canisterd *d, char *why, size_t why_len);

/* capabilities_close() - close, in reverse order, every capability that is open. */
void capabilities_close(struct canisterd *d);

void capabilities_reload(struct canisterd *d, const struct canister_config *fresh);
void capabilities_rotate_logs(struct canisterd *d, struct rotation_report *report);

/* capabilities_status() - each open capability's section of @ret, in table order. */
void capabilities_status(struct canisterd *d, struct canister_status *ret);

/*
 * capabilities_helper() - the helper_main of the capability whose helper_arg
 * is @arg, or NULL.
 */
int (*capabilities_helper(const char *arg))(int argc, char **argv);
/*
 * capabilities_caller_container() - the first capability's answer that
 * implements caller_container; CANISTER_CONTID_UNSET when none does.
 */
int capabilities_caller_container(struct canisterd *d, const struct peer *peer,
				  uint64_t *ret_contid);
void capabilities_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns);
void capabilities_process_exited(struct canisterd *d, pid_t pid, uint64_t contid,
				 uint64_t ktime_ns);
void capabilities_process_executed(struct canisterd *d, const struct process_exec *exec);
void capabilities_containers_present(struct canisterd *d, bool any);

/*
 * capabilities_start_ticks() - the core's one timer: from now on every open
 * capability's tick runs each CANISTERD_TICK_MS.  Returns 0 or -errno.
 */
int capabilities_start_ticks(struct canisterd *d);

#endif
