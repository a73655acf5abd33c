// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the behaviour model capability's entry in the core's table. */
#include "model/model_capability.h"

#include "core/capability.h"
#include "core/log.h"
#include "identity/identity.h"
#include "integrity/gate.h"
#include "integrity/integrity.h"
#include "integrity/requests.h"
#include "model/domains.h"
#include "model/gate_guard.h"
#include "model/kernel_marks.h"
#include "model/observe_decode.h"
#include "model/observe_resolve.h"
#include "model/observed.h"
#include "model/proc_stat.h"
#include "model/records.h"
#include "model/requests.h"
#include "model/store.h"
#include "model/task_ids.h"
#include "model/untrusted.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The kernel's map of marks holds this many (untrusted_abi.h's CANISTER_MODEL_MARKS_MAX). */
#define CANISTER_MODEL_MARKS_MAX_SHOWN 16384

/* A changed model reaches the disk within this long (docs/model.md, "Kept"). */
#define MODEL_SAVE_MS 1000

static struct {
	bool running;
	char dir[CANISTER_CONFIG_PATH_MAX];
	size_t refused;
	unsigned int ticks_since_save;
	char marking[64];	 /* who marks an untrusted process's children, and why */
	uint64_t ended_grace_ms; /* model_ended_grace */
	size_t ended_kept;	 /* model_ended_kept */
} model;

bool model_running(void)
{
	return model.running;
}

const char *model_dir(void)
{
	return model.dir;
}

static bool container_live(uint64_t contid)
{
	struct canister_container container;

	return identity_container(contid, &container) == 0;
}

static int model_open(struct canisterd *d, char *why, size_t why_len)
{
	size_t reloaded;
	int r;

	/* The gate is integrity's: without it no event is seen, and the status says so. */
	if (!integrity_running())
		return 0;
	snprintf(model.dir, sizeof(model.dir), "%s", d->config.model_dir);
	model.ended_grace_ms = (uint64_t)d->config.model_ended_grace * 1000;
	model.ended_kept = d->config.model_ended_kept;
	r = model_records_open(d, why, why_len);
	if (r < 0)
		return r;
	/* Before the domains: a reloaded enforced model's first violation is marked in the kernel.
	 */
	if (model_kernel_marks_open(d, why, why_len) == 0) {
		snprintf(model.marking, sizeof(model.marking), "kernel");
	} else {
		log_warning("model: the kernel does not mark untrusted processes' children (%s): "
			    "canisterd marks them when their fork reaches it",
			    why);
		snprintf(model.marking, sizeof(model.marking), "canisterd (no tp_btf)");
		why[0] = '\0';
	}
	/* Each step of a measurement extends the container's swtpm, a reloaded model's too. */
	model_domains_on_step(integrity_model_measured);
	reloaded = model_store_reload(model.dir, container_live, &model.refused);
	model.running = true;
	if (reloaded)
		/* The gate sees every open again before a reloaded domain's workload goes on. */
		integrity_follow_file_check(true);
	log_info("model: %zu stored models reloaded (%zu refused) from %s; exec and open "
		 "judged at the file gate",
		 reloaded, model.refused, model.dir);
	/* After the reload: every reloaded domain is wanted before its workload's next event. */
	model_observed_open(d);
	return 0;
}

/* Every changed domain to disk: a learned coefficient is kept within MODEL_SAVE_MS. */
static void save_dirty(void)
{
	uint64_t contids[64], generations[64];
	size_t n;

	do {
		n = model_domains_dirty(contids, generations, 64);
		for (size_t i = 0; i < n; i++) {
			char why[512];

			if (model_store_save(model.dir, contids[i], why, sizeof(why)) < 0) {
				log_error("model: cannot keep container %" PRIu64 "'s model: %s",
					  contids[i], why);
				/* Tried again at the next save, not in a loop now. */
			}
			model_domains_saved(contids[i], generations[i]);
		}
	} while (n == 64);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * After a save: the domains of containers that ended are marked, and those
 * past model_ended_grace or beyond model_ended_kept (ended.c) leave memory.
 * Each is on disk as it was (only a saved one is freed); a `canister model`
 * request loads it back (requests.c).  A live container's domain never goes.
 */
static void free_ended(void)
{
	static uint64_t contids[MODEL_DOMAINS_MAX], picked[MODEL_DOMAINS_MAX];
	static struct model_ended ended[MODEL_DOMAINS_MAX];
	uint64_t now = now_ms();
	size_t n = model_domains_list(contids, MODEL_DOMAINS_MAX);

	for (size_t i = 0; i < n; i++)
		model_domains_set_ended(contids[i], container_live(contids[i]) ? 0 : now);
	n = model_domains_ended(ended, MODEL_DOMAINS_MAX);
	n = model_ended_pick(ended, n, now, model.ended_grace_ms, model.ended_kept, picked);
	for (size_t i = 0; i < n; i++) {
		/* Not a live container's: a contid registered again meanwhile keeps its domain. */
		if (container_live(picked[i]) || model_domains_free(picked[i]) < 0)
			continue;
		/* Its processes ended: their TASK_IDs are nobody's now. */
		model_task_ids_forget(picked[i]);
		log_info("model: container %" PRIu64 " ended: its domain is freed from memory "
			 "(kept in %s/%" PRIu64 " until canisterd restarts)",
			 picked[i], model.dir, picked[i]);
	}
}

static void model_close(struct canisterd *d)
{
	if (!model.running)
		return;
	/* Its last records reach the domains before they are saved. */
	model_observed_close(d);
	model.running = false;
	save_dirty();
	/* Integrity's TPM thread stops after: a later step is neither kept nor extended. */
	model_domains_on_step(NULL);
	model_kernel_marks_close();
	model_records_close(d);
	/*
	 * The gate still runs (integrity closes after): its judges may still use
	 * a domain, so domains stay in memory until canisterd exits.
	 */
}

static void model_tick(struct canisterd *d)
{
	(void)d;
	if (!model.running)
		return;
	model_observed_tick(d);
	model.ticks_since_save++;
	if (model.ticks_since_save * CANISTERD_TICK_MS < MODEL_SAVE_MS)
		return;
	model.ticks_since_save = 0;
	save_dirty();
	free_ended();
}

/*
 * Without the kernel's copy at fork (no tp_btf), canisterd marks a child of
 * an untrusted process when the fork reaches it through the ring buffer, so
 * an event the child makes first is judged unmarked (status: "children
 * marked by canisterd").
 */
static void model_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns)
{
	uint64_t start_time, parent_start, contid;
	pid_t ppid, grandparent;

	(void)d;
	(void)ktime_ns;
	if (!model.running || model_kernel_marks_on() ||
	    model_proc_stat(pid, &ppid, &start_time) < 0 || ppid <= 0)
		return;
	if (model_proc_stat(ppid, &grandparent, &parent_start) < 0 ||
	    !model_untrusted_has(ppid, parent_start))
		return;
	if (identity_contid(pid, &contid) < 0)
		contid = 0;
	model_untrusted_mark(pid, start_time, contid);
}

/*
 * The runtime's init's process running the workload ends the init phase
 * (then lsm mode denies in the kernel at once); an exec the gate never saw
 * (a memfd's): too late to deny, not too late to record.
 */
static void model_process_executed(struct canisterd *d, const struct process_exec *exec)
{
	bool told = exec->internal_mount || exec->unlinked, ended;
	struct model_exec_seen kernel;

	(void)d;
	if (!model.running)
		return;
	ended = model_gate_init_executed(exec->contid, exec->pid);
	if (told) {
		kernel = (struct model_exec_seen){
			.internal_mount = exec->internal_mount,
			.start_time =
				canister_model_clock_ticks(exec->start_ns, sysconf(_SC_CLK_TCK)),
			.exe_dev = canister_model_kernel_dev(exec->exe_dev),
			.exe_ino = exec->exe_ino,
			.name = exec->name,
			.ktime_ns = exec->ktime_ns,
		};
		/* The init's exec, judged by the record also when the init is gone. */
		if (!ended)
			ended = model_gate_init_executed_as(exec->contid, exec->pid, &kernel);
	}
	if (ended)
		model_observed_enforce(exec->contid);
	if (told)
		model_gate_unseen_exec(exec->contid, exec->pid, &kernel);
	else if (!exec->kernel_tells)
		/* An older run's record: /proc tells, while the process runs that program. */
		model_gate_unseen_exec(exec->contid, exec->pid, NULL);
	/*
	 * Else a file with links on a mount a user can see: one the gate marks,
	 * it saw; one it does not mark (FUSE, a mount its next pass has not
	 * reached) is integrity's gap (docs/integrity.md), as before.  /proc is
	 * not asked: it names the program the process runs now, maybe a later
	 * exec's memfd, which that exec's own record reports.
	 */
}

static void model_process_exited(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns)
{
	(void)d;
	(void)contid;
	(void)ktime_ns;
	if (model.running)
		model_untrusted_forget(pid);
}

static void model_status(struct canisterd *d, struct canister_status *ret)
{
	struct canister_model_status *status = &ret->model;
	struct model_domain_counts totals;
	struct model_record_counts records;
	struct gate_stats gate;
	size_t by_mode[3], marked;
	uint64_t made, refused;

	(void)d;
	status->on = model.running;
	snprintf(status->marking, sizeof(status->marking), "%s",
		 model.running ? model.marking : "canisterd");
	if (!model.running)
		return;
	status->domains = model_domains_count(by_mode);
	status->learn = by_mode[MODEL_MODE_LEARN];
	status->seal = by_mode[MODEL_MODE_SEAL];
	status->enforce = by_mode[MODEL_MODE_ENFORCE];
	/* Counted apart: a domain added between the two reads must not break the sum. */
	status->domains = status->learn + status->seal + status->enforce;
	status->refused = model.refused;
	model_domains_totals(&totals);
	status->events = totals.events;
	status->forensic = totals.forensic;
	status->denied = totals.denied;
	status->unlearned = totals.unlearned;
	gate_stats(&gate);
	status->late_denied = gate.strict;
	model_untrusted_stats(&marked, &made, &refused);
	/* The kernel's map holds the children it marked too, and marks from before a restart. */
	status->untrusted = model_kernel_marks_on() ? model_kernel_marks_count() : marked;
	status->untrusted_refused = refused;
	model_record_counts(&records);
	status->written = records.written;
	status->repeated = records.repeated;
	status->suppressed = records.suppressed;
	status->lost = records.lost;
	model_observed_status(status);
	if (model_kernel_marks_lost())
		canister_status_warn(&ret->warnings,
				     "model: the kernel could not mark %llu children of untrusted "
				     "processes (its map holds %d)",
				     (unsigned long long)model_kernel_marks_lost(),
				     CANISTER_MODEL_MARKS_MAX_SHOWN);
	if (refused)
		canister_status_warn(&ret->warnings,
				     "model: %llu processes could not be marked untrusted (%d "
				     "marked at most)",
				     (unsigned long long)refused, MODEL_UNTRUSTED_MAX);
}

static const struct capability_request model_requests[] = {
	{ CANISTER_OP_MODEL, model_handle_model },
	{ CANISTER_OP_MODEL_LOAD, model_handle_load },
	{ 0, NULL },
};

/* One BPF object's pins, for `canisterd --unload`. */
static const char *const *const model_pinned_map_lists[] = { model_pinned_maps, NULL };

const struct capability model_capability = {
	.name = "model",
	.open = model_open,
	.close = model_close,
	.tick = model_tick,
	.process_started = model_process_started,
	.process_exited = model_process_exited,
	.process_executed = model_process_executed,
	.status = model_status,
	.requests = model_requests,
	.pinned_maps = model_pinned_map_lists,
};
