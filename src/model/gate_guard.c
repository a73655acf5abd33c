// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the behaviour model's say in the opens and execs the file gate holds. */
#include "model/gate_guard.h"

#include "core/log.h"
#include "integrity/measure.h"
#include "integrity/open_writers.h"
#include "lib/hex.h"
#include "model/domains.h"
#include "model/event_json.h"
#include "model/facts.h"
#include "model/kernel_marks.h"
#include "model/proc_coe.h"
#include "model/proc_stat.h"
#include "model/records.h"
#include "model/task_ids.h"
#include "model/untrusted.h"
#include "lib/clock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* On the reader: a domain's lookup is a binary search under a read lock. */
static bool wants(const struct gate_event *event, void *ctx)
{
	enum model_mode mode;

	(void)ctx;
	return model_domains_mode(event->contid, &mode) == 0;
}

static bool fail_closed(const struct gate_event *event, void *ctx)
{
	enum model_mode mode;

	(void)ctx;
	return model_domains_mode(event->contid, &mode) == 0 && mode == MODEL_MODE_ENFORCE;
}

/* The opener's executable as canisterd sees it, for the record (never hashed). */
static void exe_of(pid_t pid, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/*
 * In the kernel too, before the gate answers: a child forked after is marked
 * at fork.  Only a process still alive: sched_process_exit drops the mark of
 * a process that ends while marked, but one that ended before its event was
 * judged (an observed event comes late) would leave a mark on a dead pid,
 * listed by `model N untrusted` and found by whatever process reuses the
 * number until it forks.  Checked after the mark went in, since it may end
 * in between.
 */
static void mark_in_kernel(pid_t pid, uint64_t start_time, uint64_t contid)
{
	uint64_t now_start = 0;
	int r = model_kernel_marks_put(pid, contid);

	if (r < 0) {
		log_warning("model: cannot mark process %d untrusted in the kernel", (int)pid);
		return;
	}
	/* Only a mark this call made: one there already is an earlier judgement's, or a fork's. */
	if (r == 0 &&
	    (model_proc_stat(pid, &(pid_t){ 0 }, &now_start) < 0 || now_start != start_time))
		model_kernel_marks_drop(pid);
}

/* How an event is judged (judge_event()). */
struct judging {
	bool synchronous;   /* a gate holds it and may deny it */
	bool task_id_known; /* the caller's event->task_id is taken as it is */
	bool gone;	    /* the process ended (its number may be another's now) */
	bool kernel_denied; /* lsm mode denied it already */
	const char *exe;    /* the record's exe when the process is gone (NULL: none) */
};

/* model_gate_event(), as @how says. */
static bool judge_event(uint64_t contid, pid_t pid, struct canister_model_event *event,
			int cell_error, const char *op, const char *target,
			const struct judging *how)
{
	bool synchronous = how->synchronous, task_id_known = how->task_id_known, gone = how->gone,
	     kernel_denied = how->kernel_denied;
	uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE];
	char hex[2 * CANISTER_MODEL_DIGEST_SIZE + 1] = "none", comm[32], exe[4096];
	struct model_judgement judgement;
	uint64_t start_time = 0;
	enum model_mode mode;
	char *line = NULL;
	int error, r;

	error = cell_error	? cell_error
		: task_id_known ? 0
				: model_facts_task(pid, contid, &start_time, event->task_id);
	if ((cell_error || task_id_known) && !gone)
		model_proc_stat(pid, &(pid_t){ 0 }, &start_time);
	if (error == 0)
		error = canister_model_coefficient(event, coefficient);
	if (error == 0) {
		/* An observed event's is the record's: its process may be gone by now. */
		if (!event->comm || !event->comm[0]) {
			model_facts_comm(pid, comm, sizeof(comm));
			event->comm = comm;
		}
		event->pid = (uint32_t)pid;
		event->ts = canister_realtime_ns();
		/* The export line kept with a new point: `canister model N events`. */
		if (canister_model_event_json(event, contid, &line) < 0)
			line = NULL;
		canister_hex_encode(coefficient, sizeof(coefficient), hex);
	}
	r = model_domains_observe(contid, error == 0 ? coefficient : NULL, error, line, synchronous,
				  &judgement, &mode);
	free(line);
	if (r < 0)
		return true; /* no domain (any more): nothing to judge */
	/*
	 * The kernel denied it already (lsm mode, an enforced domain): recorded
	 * as denied also where canisterd finds it in the model (a TASK_ID the
	 * kernel did not have: a process the gate never saw execute).
	 */
	if (kernel_denied) {
		judgement.forensic = true;
		judgement.allow = false;
	}
	if (judgement.untrusted && start_time) {
		r = model_untrusted_mark(pid, start_time, contid);
		if (r == 0)
			model_domains_count_untrusted(contid);
		else if (r == -E2BIG)
			log_warning("model: no room to mark process %d untrusted (%d marked)",
				    (int)pid, MODEL_UNTRUSTED_MAX);
		if (model_kernel_marks_on())
			mark_in_kernel(pid, start_time, contid);
	}
	if (judgement.forensic) {
		struct model_forensic forensic = {
			.contid = contid,
			.pid = pid,
			.op = op,
			.target = target,
			.event = canister_model_event_name(event->type),
			.coefficient = hex,
			.enforce = mode == MODEL_MODE_ENFORCE,
			.denied = !judgement.allow,
		};

		/*
		 * The caller's when it knows it; a gone process's number may be
		 * another's: its /proc says nothing of it.
		 */
		if (gone || how->exe)
			snprintf(exe, sizeof(exe), "%s", how->exe ? how->exe : "");
		else
			exe_of(pid, exe, sizeof(exe));
		forensic.exe = exe[0] ? exe : NULL;
		model_record(&forensic);
	}
	return judgement.allow;
}

bool model_gate_event(uint64_t contid, pid_t pid, struct canister_model_event *event,
		      int cell_error, const char *op, const char *target, bool synchronous)
{
	return judge_event(contid, pid, event, cell_error, op, target,
			   &(struct judging){ .synchronous = synchronous });
}

bool model_gate_event_known(uint64_t contid, pid_t pid, struct canister_model_event *event,
			    const char *op, bool gone, bool kernel_denied)
{
	return judge_event(contid, pid, event, 0, op, NULL,
			   &(struct judging){ .synchronous = kernel_denied,
					      .task_id_known = true,
					      .gone = gone,
					      .kernel_denied = kernel_denied });
}

/*
 * Whether the exec @kernel names is one the gate never saw, and whether the
 * process still runs that program (*@ret_runs) or is gone (*@ret_gone).
 * While it runs it, /proc says what the table was keyed by (stat()'s
 * device, which btrfs and overlayfs give otherwise than the kernel's s_dev);
 * once it is gone or runs another program, the record's own numbers.
 */
static bool unseen_as_recorded(uint64_t contid, pid_t pid, const struct model_exec_seen *kernel,
			       bool *ret_runs, bool *ret_gone)
{
	struct model_task_key key = {
		.tgid = pid,
		.start_time = kernel->start_time,
		.exe_dev = kernel->exe_dev,
		.exe_ino = kernel->exe_ino,
	};
	uint64_t start_time;
	struct stat exe;
	char link[64];

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	*ret_gone = model_proc_stat(pid, &(pid_t){ 0 }, &start_time) < 0 ||
		    start_time != kernel->start_time;
	/* The same inode, still without links: what it executed then, not a later program. */
	*ret_runs = !*ret_gone && stat(link, &exe) == 0 && exe.st_ino == kernel->exe_ino &&
		    exe.st_nlink == 0 && (!kernel->internal_mount || exe.st_dev == kernel->exe_dev);
	/* No fanotify mark covers a kernel-internal mount: the gate never saw it. */
	if (kernel->internal_mount)
		return true;
	/* An unlinked file the gate saw executed (unlinked after) is in the table as seen. */
	if (*ret_runs) {
		int r = model_facts_exec_unseen(pid, contid);

		if (r >= 0)
			return r == 1;
		*ret_runs = false; /* ended meanwhile: by the record's numbers */
	}
	return !model_task_ids_seen_at_exec(contid, &key);
}

void model_gate_unseen_exec(uint64_t contid, pid_t pid, const struct model_exec_seen *kernel)
{
	struct canister_model_event ev = { .type = CANISTER_MODEL_EXEC };
	bool gone = false, runs = true;
	char path[4096], link[64];
	enum model_mode mode;
	pid_t init;
	ssize_t n;

	if (model_domains_mode(contid, &mode) < 0)
		return;
	if (kernel) {
		if (!unseen_as_recorded(contid, pid, kernel, &runs, &gone))
			return;
		/*
		 * runc 1.1's init runs a memfd copy of runc: the init's steps
		 * are not modelled, judged by what it ran at the exec.
		 */
		if (model_domains_init_observed(contid, pid, kernel->exe_dev, kernel->exe_ino,
						kernel->ktime_ns))
			return;
	} else if (model_facts_exec_unseen(pid, contid) != 1 ||
		   (model_domains_init_tgid(contid, &init) == 0 && init == pid)) {
		return;
	}
	n = -1;
	if (runs) {
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
		n = readlink(link, path, sizeof(path) - 1);
	}
	path[n > 0 ? n : 0] = '\0';
	/*
	 * Ended, or running another program since: the name the record
	 * carries, a memfd's as readlink names it (its dentry is never
	 * linked); an unlinked file's directory is not known by then.
	 */
	if (!path[0] && kernel && kernel->name[0])
		snprintf(path, sizeof(path), "%s%s (deleted)", kernel->internal_mount ? "/" : "",
			 kernel->name);
	log_debug("model: container %" PRIu64 "'s pid %d %s %s, an exec the gate never saw", contid,
		  (int)pid, runs ? "runs" : "ran", path);
	judge_event(contid, pid, &ev, -ENOEXEC, "exec", path[0] ? path : NULL,
		    &(struct judging){ .gone = gone, .exe = path[0] ? path : NULL });
}

bool model_gate_init_executed(uint64_t contid, pid_t pid)
{
	struct model_exec_seen now = { 0 };
	struct stat exe;
	char link[64];
	pid_t init;

	if (model_domains_init_tgid(contid, &init) < 0 || init != pid)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	if (model_proc_stat(pid, &(pid_t){ 0 }, &now.start_time) < 0 || stat(link, &exe) < 0)
		return false; /* gone: the gate's next event, or its end, settles it */
	/* No exec of a file: the phase ends when the process runs another program. */
	now.exe_dev = exe.st_dev;
	now.exe_ino = exe.st_ino;
	return model_gate_init_executed_as(contid, pid, &now);
}

bool model_gate_init_executed_as(uint64_t contid, pid_t pid, const struct model_exec_seen *kernel)
{
	pid_t init;

	if (model_domains_init_tgid(contid, &init) < 0 || init != pid)
		return false;
	/* Its exec of a program other than the runtime's ends the phase, gone or not. */
	(void)model_domains_init_gate(contid, pid, kernel->start_time, kernel->exe_dev,
				      kernel->exe_ino, false, 0, 0, canister_monotonic_ns());
	return model_domains_init_tgid(contid, &init) < 0;
}

void model_gate_unseen_exec_denied(uint64_t contid, pid_t pid, const char *path)
{
	struct canister_model_event ev = { .type = CANISTER_MODEL_EXEC };

	log_debug("model: container %" PRIu64 "'s pid %d was denied an exec of %s in the kernel, "
		  "an exec the gate never sees",
		  contid, (int)pid, path);
	judge_event(contid, pid, &ev, -ENOEXEC, "exec", path[0] ? path : NULL,
		    &(struct judging){ .synchronous = true, .kernel_denied = true });
}

void model_gate_compat_call(uint64_t contid, pid_t pid, enum canister_model_event_type type,
			    const char *call, uint32_t nr, uint32_t sub, bool gone)
{
	struct canister_model_event ev = { .type = type };
	char target[64], number[32];

	/* A multiplexer's sub-call after its number: "i386-102/3". */
	if (sub)
		snprintf(number, sizeof(number), "%" PRIu32 "/%" PRIu32, nr, sub);
	else
		snprintf(number, sizeof(number), "%" PRIu32, nr);
	/* No spaces: the record keeps it quoted, readable (audit hex-encodes a space). */
	snprintf(target, sizeof(target), "%s:i386-%s:not-decoded", call, number);
	log_debug("model: container %" PRIu64 "'s pid %d made the 32-bit system call %s (%s), "
		  "which the observers do not decode",
		  contid, (int)pid, call, number);
	judge_event(contid, pid, &ev, -ENOSYS, "compat-syscall", target,
		    &(struct judging){ .gone = gone });
}

/*
 * Whether @event is a step of the container's runtime's init (runtime_init.h),
 * neither learned nor judged.  An exec of it is the workload's first: the
 * TASK_ID the new program runs as is remembered as at any exec, so that the
 * workload's own events do not derive it later from what it runs then.
 */
static bool runtime_step(const struct gate_event *event, bool exec)
{
	static __thread char path[CANISTER_MODEL_PATH_MAX + 1];
	struct canister_model_coe coe;
	struct canister_model_file file;
	struct stat exe, st;
	struct timespec now;
	uint64_t start_time;
	char link[64];
	pid_t init;

	if (model_domains_init_tgid(event->contid, &init) < 0 || event->pid != init)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)event->pid);
	if (model_proc_stat(event->pid, &(pid_t){ 0 }, &start_time) < 0 || stat(link, &exe) < 0 ||
	    fstat(event->fd, &st) < 0)
		return false; /* gone: judged as any event that cannot be placed */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!model_domains_init_gate(event->contid, event->pid, start_time, exe.st_dev, exe.st_ino,
				     exec, st.st_dev, st.st_ino,
				     (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec))
		return false;
	log_debug("model: container %" PRIu64
		  "'s %s by pid %d is its runtime's init's: not modelled",
		  event->contid, exec ? "exec" : "open", (int)event->pid);
	if (exec &&
	    model_facts_file(event->fd, event->pid, event->contid, path, sizeof(path), &file) ==
		    0 &&
	    canister_model_proc_coe(event->pid, &coe) == 0)
		model_facts_exec(event->pid, event->contid, start_time, &coe, &file, st.st_dev,
				 st.st_ino);
	return true;
}

/* The opener's COE: as the gate read it before a late answer, else from /proc now. */
static int opener_coe(const struct gate_event *event, struct canister_model_coe *ret)
{
	struct canister_proc_creds creds;
	int r = gate_event_creds(event, &creds);

	if (r == 0)
		canister_model_coe_of_creds(&creds, ret);
	return r;
}

static bool judge(const struct gate_event *event, void *ctx)
{
	static __thread char path[CANISTER_MODEL_PATH_MAX + 1];
	bool exec = event->mask & FAN_OPEN_EXEC_PERM;
	struct canister_model_event ev = {
		.type = exec ? CANISTER_MODEL_EXEC : CANISTER_MODEL_FILE_OPEN,
	};
	enum model_mode mode;
	uint64_t start_time;
	uint8_t old_task_id[CANISTER_MODEL_DIGEST_SIZE];
	struct stat st;
	bool allow, file_ok;
	int r;

	(void)ctx;
	if (model_domains_mode(event->contid, &mode) < 0)
		return true;
	if (runtime_step(event, exec))
		return true;
	r = model_facts_file(event->fd, event->pid, event->contid, path, sizeof(path),
			     &ev.cell.file);
	if (r == -ENOTSUP)
		return true; /* not a file the model takes (docs/model.md) */
	file_ok = r == 0;
	/*
	 * An exec of a file open for write elsewhere: the kernel refuses it
	 * (ETXTBSY) unless the writer closes between this verdict and its
	 * deny_write_access(), and then what runs is what the writer wrote
	 * after the digest.  No coefficient: a violation once sealed.
	 */
	if (r == 0 && exec && measure_exec_writers(event) == OPEN_WRITERS_ELSEWHERE)
		r = -ETXTBSY;
	if (r == 0)
		r = opener_coe(event, &ev.coe);
	/*
	 * No CELL (an unreadable file) or no COE (the opener is gone): an event
	 * without a coefficient, forensics once sealed.
	 */
	allow = model_gate_event(event->contid, event->pid, &ev, r, exec ? "exec" : "open",
				 file_ok ? path : NULL, true);
	if (r < 0)
		return allow;
	/*
	 * The TASK_ID the new program runs as (the executing task's old one is
	 * the exec event's own): remembered by the executable, for its events.
	 * An interpreter the kernel opens for the same exec is remembered too,
	 * and never matched: /proc/PID/exe names the program.
	 */
	if (exec && allow && fstat(event->fd, &st) == 0 &&
	    model_facts_task(event->pid, event->contid, &start_time, old_task_id) == 0)
		model_facts_exec(event->pid, event->contid, start_time, &ev.coe, &ev.cell.file,
				 st.st_dev, st.st_ino);
	return allow;
}

const struct gate_guard model_gate_guard = {
	.judge = judge,
	.wants = wants,
	.fail_closed = fail_closed,
};

bool model_gate_wants_opens(void)
{
	return model_domains_count(NULL) > 0;
}
