/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the synchronous file gate: fanotify permission events, judged per container. */
#ifndef CANISTERD_GATE_H
#define CANISTERD_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/procfs.h"

/* One opener waiting for the gate's answer. */
struct gate_event {
	int fd;		 /* the opened file, read-only; the gate closes it */
	pid_t pid;	 /* the opener's thread group */
	uint64_t contid; /* its container */
	uint64_t mask;	 /* FAN_OPEN_EXEC_PERM or FAN_OPEN_PERM */
	/* A guard's fail_closed said so: no verdict in time is a denial, whatever the config says
	 */
	bool strict;
	/*
	 * The opener's credentials when the reader read them just before the
	 * deadline's answer let a queued event go (a judge takes it later, when
	 * the opener may have run and ended), else NULL; they live in the gate's
	 * job until the judge returns.  Read them through gate_event_creds().
	 */
	const struct canister_proc_creds *opener;
};

/*
 * gate_event_creds() - @event's opener's credentials: those read before a
 * late answer when there are, else /proc/PID/status now.  Returns 0, -ESRCH
 * (the opener is gone and none were read) or -EPROTO.
 */
int gate_event_creds(const struct gate_event *event, struct canister_proc_creds *ret);

/*
 * Which container @pid is in: true with *@ret_contid, or false for a process
 * in none.  Called on the gate's reader thread for every event of another
 * process, so it must not block (a BPF map lookup, not a /proc path walk).
 */
typedef bool (*gate_classify_fn)(pid_t pid, uint64_t *ret_contid, void *ctx);

/*
 * Optional, on the reader, must not block (as the classifier): the container
 * whose share of the judges @contid's events use (gate_share.h): the
 * outermost one of its chain, so that nesting makes no more room.  Asked only
 * for an event that goes to the queue; without it each container has its own.
 */
typedef uint64_t (*gate_owner_fn)(uint64_t contid, void *ctx);

/*
 * Measures and judges @event on a worker thread: true allows, false denies.
 * It may take its time (it reads the file); the gate answers the fail policy
 * on its own when the deadline passes first, and ignores the later verdict;
 * an event answered so before a judge took it is judged all the same.
 */
typedef bool (*gate_judge_fn)(const struct gate_event *event, void *ctx);

/*
 * Optional, on the reader: true allows a container's @event at once (an
 * answer the judge gave this file before and would give again); false sends
 * it to a judge.  Runs for every container's event before it is queued, so
 * it must not block, as the classifier must not.
 */
typedef bool (*gate_fast_fn)(const struct gate_event *event, void *ctx);

/*
 * Optional: other capabilities' decisions on the same event (the access
 * policy's, src/access/gate_judge.c, then the behaviour model's,
 * src/model/gate_guard.c), asked in order on the worker before the judge.
 * false denies and neither a later guard nor the judge is asked: in the
 * kernel an LSM's refusal of an open or an exec comes before IMA measures it.
 * @wants, on the reader, says whether a guard has a say in an event (it must
 * not block, as the classifier); the fast answer never skips an event any
 * guard wants.  @fail_closed (optional, on the reader, must not block): true
 * when an event the gate cannot judge in time (late, or no room) must be
 * denied whatever gate_config.fail_closed says (an enforced behaviour model:
 * what it has not judged is not in the model).
 */
struct gate_guard {
	gate_judge_fn judge;
	gate_fast_fn wants;
	gate_fast_fn fail_closed;
};

/* The guards a gate asks at most. */
#define GATE_GUARDS_MAX 4

struct gate_config {
	unsigned int workers;	    /* judging threads, 1..GATE_WORKERS_MAX */
	unsigned int pending_max;   /* events taken and not released, 1..GATE_PENDING_MAX */
	unsigned int container_max; /* of those, one container's at most */
	/* judges one container holds at once, 1..workers (gate_share.h: fewer than workers) */
	unsigned int container_judges;
	unsigned int deadline_ms; /* an opener waits at most this long for a verdict */
	bool fail_closed;	  /* deny, not allow, what no verdict answered in time */
	bool file_check;	  /* FAN_OPEN_PERM besides FAN_OPEN_EXEC_PERM, at the start */
	gate_classify_fn classify;
	gate_owner_fn owner; /* may be NULL */
	gate_judge_fn judge;
	gate_fast_fn fast; /* may be NULL */
	/* in the order they are asked; NULL-terminated unless all GATE_GUARDS_MAX are set */
	const struct gate_guard *guards[GATE_GUARDS_MAX];
	void *ctx;
};

#define GATE_WORKERS_MAX 16
#define GATE_PENDING_MAX 1024

/* What the gate did, since its start; read at any time. */
struct gate_stats {
	uint64_t events;     /* permission events read */
	uint64_t opens;	     /* of those, FAN_OPEN_PERM (FILE_CHECK) events */
	uint64_t own;	     /* canisterd's own, allowed at once */
	uint64_t host;	     /* of processes in no container, allowed at once */
	uint64_t fast;	     /* of a container's, allowed at once by gate_config.fast */
	uint64_t judged;     /* answered by a judge's verdict */
	uint64_t denied;     /* of those, denied */
	uint64_t busy;	     /* answered by the fail policy: no room to judge */
	uint64_t late;	     /* answered by the fail policy: the deadline passed */
	uint64_t strict;     /* of busy and late, denied because a guard's fail_closed said so */
	uint64_t stuck;	     /* judges still busy with an event the deadline answered */
	uint64_t marks;	     /* filesystems marked */
	uint64_t write_fail; /* answers the kernel did not take (the opener is gone) */
};

/*
 * gate_start() - the fanotify group, its reader and its workers.  No
 * filesystem is watched until gate_mark().  Returns 0, or -errno with @why.
 */
int gate_start(const struct gate_config *config, char *why, size_t why_len);

/*
 * gate_mark() - every open for execution (and, with file_check, every open)
 * on the filesystem that holds @path waits for the gate from now on.
 * Returns 0, or -errno with @why.
 */
int gate_mark(const char *path, char *why, size_t why_len);

/*
 * gate_mark_group() - the group's descriptor and the mask gate_mark() asks
 * for, so that a helper process that inherits the descriptor can mark what
 * canisterd must not walk to itself (a mark added through any descriptor of
 * the group is the group's).  Returns the descriptor, or -EBADF when the
 * gate is not running.  gate_count_marks() counts what such a helper marked.
 */
int gate_mark_group(uint64_t *ret_mask);
void gate_count_marks(unsigned int marked);

/*
 * gate_set_file_check() - whether marks made from now on ask for
 * FAN_OPEN_PERM (FILE_CHECK) too.  Marks made before keep their mask: the
 * caller marks them again (marks_remark()).  Returns true when the wish
 * changed.
 */
bool gate_set_file_check(bool on);
bool gate_file_check(void);

/*
 * gate_stop() - no filesystem is watched any more, every event taken is
 * answered (the fail policy for those not judged yet), and the threads end;
 * bounded: a judge stuck in a read (a FUSE file that never answers) is left
 * behind after 2 s, and the gate cannot start again in this process.
 * Returns true when every judge has returned (false: what they use must stay).
 */
bool gate_stop(void);

void gate_stats(struct gate_stats *ret);

/* gate_reader_detail() - the reader's priority, as status shows it (integrity/reader_nice.h). */
void gate_reader_detail(char *detail, size_t detail_len);

#endif
