// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: the model observers (observers.h) wired into the behaviour
 * capability: loaded when it opens, their ring buffer in the main loop, each
 * observed event completed with what its record cannot carry and fed to
 * model_observe_event(), and the wanted map kept to the containers that have
 * a domain.  The map is the one list of what is wanted: the programs read
 * it, and a copy here could disagree with it (a failed delete, a want that
 * raced a sync) without anything noticing.
 */
#include "model/observed.h"

#include "core/capability.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "identity/identity.h"
#include "model/domains.h"
#include "model/facts.h"
#include "model/file_cells.h"
#include "model/observe_feed.h"
#include "model/observe_resolve.h"
#include "model/observed_deny.h"
#include "model/observers.h"
#include "model/proc_stat.h"
#include "model/task_ids.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The wanted map follows the domains this often (a domain made by a request is wanted at once). */
#define SYNC_MS 1000

static struct {
	struct canister_model_observers *observers;
	struct loop_source source;
	bool watched;
	char why[CANISTER_STATUS_MODEL_OBSERVED_MAX + 1]; /* why none run */
	unsigned int ticks;
	/*
	 * Events fed to a domain; dropped without a TASK_ID; of a container
	 * with no domain.  TASK_IDs (actors' and targets') the table did not
	 * hold, looked for in /proc.
	 */
	uint64_t fed, unresolved, undomained, task_id_misses;
} observed;

bool model_observed_want(uint64_t contid)
{
	int r;

	if (!observed.observers)
		return false;
	/* 0 when wanted already; -ENOSPC when the map holds its most. */
	r = canister_model_observers_want(observed.observers, contid);
	if (r < 0) {
		/* Tried again at the next sync; its gate events are still judged. */
		log_warning("model: container %" PRIu64 "'s events cannot be observed: %s", contid,
			    strerror(-r));
		return false;
	}
	/* Enforced since, or its runtime's init phase ended since: judged in the kernel now. */
	model_deny_sync(contid, true);
	return true;
}

void model_observed_enforce(uint64_t contid)
{
	if (observed.observers)
		model_deny_sync(contid,
				canister_model_observers_is_wanted(observed.observers, contid));
}

void model_observed_moved(uint64_t contid)
{
	int r;

	if (!observed.observers)
		return;
	r = canister_model_observers_compat_forget(observed.observers, contid);
	if (r < 0)
		log_warning("model: some of container %" PRIu64 "'s 32-bit calls seen while it was "
			    "in its last mode may not be recorded again: %s",
			    contid, strerror(-r));
	else if (r > 0)
		log_debug("model: container %" PRIu64 "'s %d 32-bit calls seen in its last mode "
			  "are recorded again once made",
			  contid, r);
}

/*
 * Every container with a domain wanted (those reloaded at start, one whose
 * want failed before), and no other: a domain whose container ended is
 * not (its domain stays until canisterd restarts; a reused contid is
 * another container, wanted again once it lives).
 */
static void sync_wanted(void)
{
	static uint64_t contids[MODEL_DOMAINS_MAX], wanted[CANISTER_MODEL_OBS_WANTED_MAX];
	struct canister_container container;
	size_t count = model_domains_list(contids, MODEL_DOMAINS_MAX);
	int wanted_count = canister_model_observers_wanted(observed.observers, wanted,
							   CANISTER_MODEL_OBS_WANTED_MAX);

	if (wanted_count < 0)
		log_warning("model: cannot read the wanted map: %s", strerror(-wanted_count));
	/* Read whole before any delete: a delete during the map's walk would restart it. */
	for (int i = 0; i < wanted_count && i < CANISTER_MODEL_OBS_WANTED_MAX; i++) {
		uint64_t contid = wanted[i];

		if (model_wants_contid(contid) && identity_container(contid, &container) == 0)
			continue;
		model_deny_sync(contid, false);
		(void)canister_model_observers_unwant(observed.observers, contid);
	}
	for (size_t i = 0; i < count; i++) {
		if (identity_container(contids[i], &container) < 0)
			continue;
		(void)model_observed_want(contids[i]);
	}
}

/*
 * The mapped file of a file-backed mmap_file as the gate's file CELL has
 * it: the path in the mapper's root, the content's digest (or the
 * pseudonym's); the inode's fields stay the record's (the kernel's).  The
 * CELL the gate made when the file was opened first (file_cells.h: the
 * same whether or not the mapper is still there), else from /proc now.
 */
static int mapped_file(struct canister_model_observed *o, char *path, size_t path_size)
{
	struct canister_model_file *file = &o->event.cell.mmap.file, seen;
	char host_path[CANISTER_MODEL_PATH_MAX + 1];
	int fd, r;

	file->path = path;
	if (model_file_cells_get(o->contid, canister_model_kernel_dev(o->dev), o->ino, path,
				 path_size, file->digest))
		return 0;
	r = canister_model_observed_open_mapped(o, host_path, sizeof(host_path), &fd);
	if (r < 0)
		return r;
	r = model_facts_file(fd, (pid_t)o->event.pid, o->contid, path, path_size, &seen);
	close(fd);
	if (r < 0)
		return r;
	memcpy(file->digest, seen.digest, sizeof(file->digest));
	return 0;
}

/* sysconf(_SC_CLK_TCK): the unit of the TASK_ID table's start times (/proc/PID/stat's). */
static long clock_ticks_per_second;

/* The TASK_ID table's key of the task a record names: thread group, start, executable. */
static struct model_task_key task_key(uint32_t tgid, uint64_t start_ns, uint64_t exe_dev,
				      uint64_t exe_ino)
{
	return (struct model_task_key){
		.tgid = (pid_t)tgid,
		.start_time = canister_model_clock_ticks(start_ns, clock_ticks_per_second),
		.exe_dev = canister_model_kernel_dev(exe_dev),
		.exe_ino = exe_ino,
	};
}

/* The key of a record's origin (observe_abi.h); a tgid of 0 when it has none. */
static struct model_task_key origin_key(const struct canister_model_obs_task *origin)
{
	if (!origin->tgid)
		return (struct model_task_key){ .tgid = 0 };
	return task_key(origin->tgid, origin->start_ns, origin->exe_dev, origin->exe_ino);
}

/*
 * The TASK_ID of the process @key->tgid as model_facts_task() finds it in
 * /proc now, when it is still the task @key names (the same start time)
 * running that executable: -ESRCH when it is not (ended, or its pid
 * another's), -ESTALE when it executed another program since.
 */
static int proc_task_id(const struct model_task_key *key, uint64_t contid,
			uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	uint64_t start_time;
	struct stat st;
	char link[64];
	int r;

	r = model_facts_task(key->tgid, contid, &start_time, ret);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	if (key->start_time && start_time != key->start_time)
		return -ESRCH;
	/* After the TASK_ID was read: an exec in between is seen here. */
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)key->tgid);
	if (stat(link, &st) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (key->exe_ino && (st.st_dev != key->exe_dev || st.st_ino != key->exe_ino))
		return -ESTALE;
	return 0;
}

static bool remembered(uint64_t contid, const struct model_task_key *key,
		       uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	return key->exe_ino && key->start_time && model_task_ids_get(contid, key, ret);
}

/*
 * The TASK_ID of the task @key names, without /proc when it can be: the
 * one the gate remembered at that task's exec (model_facts_exec(), before
 * the program ran), found whether the task still runs or not; for a
 * forked child that has not executed since (@origin, from the record: its
 * tgid 0 when none), the one remembered for the task whose exec set it, as
 * TSEM's task_alloc copies a parent's TASK_ID to its child.  Else (a miss,
 * counted: a process the gate never saw execute, or one its container's
 * full table forgot) the task's in /proc now (proc_task_id()), or, when it
 * is gone, its origin's there.
 */
static int task_id_of(const struct model_task_key *key, const struct model_task_key *origin,
		      uint64_t contid, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	int r;

	if (remembered(contid, key, ret) || (origin->tgid && remembered(contid, origin, ret)))
		return 0;
	observed.task_id_misses++;
	r = proc_task_id(key, contid, ret);
	if (r < 0 && origin->tgid)
		r = proc_task_id(origin, contid, ret);
	return r;
}

/* Whether process @key->tgid is still the task @key names (its number not reused). */
static bool still_runs(const struct model_task_key *key)
{
	uint64_t start_time;
	pid_t ppid;

	return model_proc_stat(key->tgid, &ppid, &start_time) == 0 &&
	       (!key->start_time || start_time == key->start_time);
}

/*
 * What the record cannot carry: the actor's TASK_ID and the target's (kill:
 * by the keys the record carries; ptrace, whose trace-mode record has only
 * a pid: the target's as the model knows it now), a mapped file's path and
 * digest.  The COE is the record's, the kernel's at the event.
 */
static int complete(struct canister_model_observed *o, char *path, size_t path_size)
{
	struct canister_model_event *ev = &o->event;
	struct model_task_key key = task_key(ev->pid, o->start_ns, o->exe_dev, o->exe_ino);
	struct model_task_key origin = origin_key(&o->origin);
	uint64_t start_time;
	int r;

	r = task_id_of(&key, &origin, o->contid, ev->task_id);
	if (r < 0)
		return r;
	switch (ev->type) {
	case CANISTER_MODEL_TASK_KILL:
		key = task_key(o->target_tgid, o->target_start_ns, o->target_exe_dev,
			       o->target_exe_ino);
		origin = origin_key(&o->target_origin);
		return task_id_of(&key, &origin, o->contid, ev->cell.kill.target);
	case CANISTER_MODEL_PTRACE:
		if (o->target_pid_nested)
			return -ESRCH;
		return model_facts_task((pid_t)o->target_tgid, o->contid, &start_time,
					ev->cell.ptrace.target);
	case CANISTER_MODEL_MMAP_FILE:
		return ev->cell.mmap.anonymous ? 0 : mapped_file(o, path, path_size);
	default:
		return 0;
	}
}

static void feed(struct canister_model_observed *o, void *ctx)
{
	static char path[CANISTER_MODEL_PATH_MAX + 1];
	struct canister_model_event *ev = &o->event;
	const char *name = canister_model_event_name(ev->type);
	struct model_task_key actor = task_key(ev->pid, o->start_ns, o->exe_dev, o->exe_ino);
	uint64_t misses = observed.task_id_misses;
	int r;

	(void)ctx;
	/*
	 * Denied already, and nothing to hash (no CELL: the file is no
	 * process's executable and has no path): recorded as what it is.
	 */
	if (ev->type == CANISTER_MODEL_EXEC) {
		if (model_observe_unseen_exec_denied(o->contid, (pid_t)ev->pid, o->exec_path) < 0)
			observed.undomained++;
		else
			observed.fed++;
		return;
	}
	/*
	 * The runtime's init's steps before the workload's first exec, decided
	 * by when they happened, before anything is read from /proc: a TASK_ID
	 * derived now would be remembered with the capabilities it holds now.
	 */
	if (model_domains_init_observed(o->contid, (pid_t)ev->pid,
					canister_model_kernel_dev(o->exe_dev), o->exe_ino,
					ev->ts)) {
		log_debug("model: container %" PRIu64 "'s %s event of pid %" PRIu32
			  " is its runtime's init's: not modelled",
			  o->contid, name, ev->pid);
		return;
	}
	/*
	 * A 32-bit call not decoded: no CELL, so no TASK_ID is needed either;
	 * judged as an event the model cannot place.
	 */
	if (o->compat_call) {
		if (model_observe_compat_call(o->contid, (pid_t)ev->pid, ev->type, o->compat_call,
					      o->compat_nr, o->compat_sub, !still_runs(&actor)) < 0)
			observed.undomained++;
		else
			observed.fed++;
		return;
	}
	r = complete(o, path, sizeof(path));
	/* Per container too: `model N counts` shows what could not be completed. */
	model_domains_count_observed(o->contid, (unsigned int)(observed.task_id_misses - misses),
				     r < 0);
	if (r < 0) {
		/*
		 * Dropped, counted: the TASK_ID table missed the actor or the
		 * target and /proc no longer had it (ended, or executed another
		 * program), or a mapped file changed, before the record was
		 * read (docs/model.md, "Without a TASK_ID").  Judged as an
		 * event without a coefficient, a legitimate short-lived process
		 * would be forensics, and what is learned would depend on how
		 * fast canisterd reads.
		 */
		observed.unresolved++;
		log_debug("model: container %" PRIu64 "'s %s event of pid %" PRIu32
			  " is not modelled: %s",
			  o->contid, name, ev->pid, strerror(-r));
		return;
	}
	/* Gone (or its pid another's): no process is marked untrusted for it. */
	if (o->kernel_keyed) {
		uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE];

		if (canister_model_coefficient(ev, coefficient) == 0)
			model_deny_check(o, coefficient);
	}
	/*
	 * Denied in the kernel without a TASK_ID, where canisterd has one: the
	 * kernel lost it (an exec by a thread other than the leader frees the
	 * leader the gate's TASK_ID was written to).  Written again, for the
	 * process's next event.
	 */
	if (o->kernel_denied && !o->kernel_keyed)
		model_deny_task_id(&actor, ev->task_id);
	r = model_observe_event_known(o->contid, (pid_t)ev->pid, ev, !still_runs(&actor),
				      o->kernel_denied);
	if (r == -ENOENT)
		observed.undomained++;
	else if (r < 0)
		log_warning("model: an observed %s event of container %" PRIu64 " is refused: %s",
			    name, o->contid, strerror(-r));
	else
		observed.fed++;
}

static void drain(void)
{
	int r = canister_model_observers_poll(observed.observers, 0, feed, NULL);

	if (r < 0 && r != -EINTR)
		log_warning("model: cannot read the observers' ring buffer: %s", strerror(-r));
}

void model_observed_drain(void)
{
	if (observed.observers)
		drain();
}

static void on_ready(struct canisterd *d, struct loop_source *source)
{
	(void)d;
	(void)source;
	drain();
}

static void say_available(void)
{
	char line[1024] = "";
	size_t len = 0;

	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		const char *how;

		if (canister_model_observers_available(observed.observers, type, &how))
			len += (size_t)snprintf(line + len,
						len < sizeof(line) ? sizeof(line) - len : 0, "%s%s",
						len ? " " : "", canister_model_event_name(type));
		else if (type != CANISTER_MODEL_EXEC && type != CANISTER_MODEL_FILE_OPEN)
			log_warning("model: %s events are not observed: %s",
				    canister_model_event_name(type), how);
		else if (type == CANISTER_MODEL_EXEC)
			log_info("model: %s events: %s", canister_model_event_name(type), how);
	}
	log_info("model: observed events: %s", line);
}

void model_observed_open(struct canisterd *d)
{
	struct canister_model_observers_config config = {
		.mode = d->mode == DAEMON_MODE_LSM ? CANISTER_MODEL_OBSERVE_LSM
						   : CANISTER_MODEL_OBSERVE_TRACE,
		.identity_pin_path = d->config.pin_path,
		.loaded = loader_note_object,
	};
	const char *origins_why, *compat_why;
	char why[512];
	int r;

	memset(&observed, 0, sizeof(observed));
	clock_ticks_per_second = sysconf(_SC_CLK_TCK);
	r = canister_model_observers_open(&config, &observed.observers, why, sizeof(why));
	if (r < 0) {
		snprintf(observed.why, sizeof(observed.why), "%s", why);
		log_warning("model: no observers of non-file events (%s): the models see only "
			    "the file gate's exec and open",
			    why);
		return;
	}
	observed.source.ready = on_ready;
	r = loop_add(d, canister_model_observers_fd(observed.observers), &observed.source);
	if (r < 0) {
		snprintf(observed.why, sizeof(observed.why),
			 "cannot watch the observers' ring buffer: %s", strerror(-r));
		log_warning("model: %s", observed.why);
		canister_model_observers_close(observed.observers);
		observed.observers = NULL;
		return;
	}
	observed.watched = true;
	model_deny_start(observed.observers);
	say_available();
	if (!canister_model_observers_compat(observed.observers, &compat_why))
		log_warning("model: 32-bit system calls (int $0x80) not seen (%s): a process "
			    "making its socket, mprotect or setuid calls that way is not observed",
			    compat_why);
	if (!canister_model_observers_origins(observed.observers, &origins_why))
		log_warning(
			"model: forked children's origins not kept (%s): the observed events of "
			"a child that never executes and ends before they are read have no "
			"TASK_ID",
			origins_why);
	sync_wanted();
}

void model_observed_close(struct canisterd *d)
{
	if (!observed.observers)
		return;
	/* What the programs sent before canisterd stopped still reaches the domains. */
	drain();
	if (observed.watched)
		loop_remove(d, canister_model_observers_fd(observed.observers));
	model_deny_stop();
	canister_model_observers_close(observed.observers);
	observed.observers = NULL;
	observed.watched = false;
}

void model_observed_tick(struct canisterd *d)
{
	(void)d;
	if (!observed.observers)
		return;
	/* The programs wake the reader only once the ring is a quarter full. */
	drain();
	if (++observed.ticks * CANISTERD_TICK_MS < SYNC_MS)
		return;
	observed.ticks = 0;
	sync_wanted();
}

void model_observed_status(struct canister_model_status *ret)
{
	struct canister_model_observers_counts counts;
	struct model_task_ids_stats task_ids;
	size_t available = 0, unavailable = 0;
	int wanted;

	/* The gate's events use the table too: with observers or without. */
	model_task_ids_stats(&task_ids);
	ret->task_ids_held = task_ids.held;
	ret->task_ids_forgotten = task_ids.forgotten;
	ret->task_ids_forgetting = task_ids.containers;
	ret->task_ids_refused = task_ids.refused;
	ret->observed = observed.observers != NULL;
	if (!observed.observers) {
		snprintf(ret->observed_unavailable, sizeof(ret->observed_unavailable), "%s",
			 observed.why[0] ? observed.why : "not loaded");
		return;
	}
	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		const char *how;
		bool on = canister_model_observers_available(observed.observers, type, &how);
		char *to = on ? ret->observed_available : ret->observed_unavailable;
		size_t size =
			on ? sizeof(ret->observed_available) : sizeof(ret->observed_unavailable);
		size_t *len = on ? &available : &unavailable;

		if (type == CANISTER_MODEL_EXEC || type == CANISTER_MODEL_FILE_OPEN)
			continue;
		if (*len >= size)
			continue;
		if (on)
			*len += (size_t)snprintf(to + *len, size - *len, "%s%s", *len ? " " : "",
						 canister_model_event_name(type));
		else
			*len += (size_t)snprintf(to + *len, size - *len, "%s%s (%s)",
						 *len ? "; " : "", canister_model_event_name(type),
						 how);
	}
	canister_model_observers_counts(observed.observers, &counts);
	ret->observed_emitted = counts.emitted;
	ret->observed_over_budget = counts.over_budget;
	ret->observed_ring_full = counts.ring_full;
	ret->observed_stash_full = counts.stash_full;
	ret->observed_origins_full = counts.origins_full;
	ret->observed_decoded = counts.decoded;
	ret->observed_malformed = counts.malformed;
	ret->observed_fed = observed.fed;
	ret->observed_unresolved = observed.unresolved;
	ret->observed_task_id_misses = observed.task_id_misses;
	wanted = canister_model_observers_wanted(observed.observers, NULL, 0);
	ret->observed_wanted = wanted > 0 ? (uint64_t)wanted : 0;
	model_deny_status(ret);
}
