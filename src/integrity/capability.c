// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the integrity capability's entry in the core's table. */
#include "integrity/integrity.h"

#include "access/gate_judge.h"
#include "core/capability.h"
#include "core/log.h"
#include "identity/identity.h"
#include "core/records.h"
#include "integrity/appraise.h"
#include "integrity/appraise_judge.h"
#include "integrity/attest.h"
#include "integrity/backstop.h"
#include "integrity/ended.h"
#include "integrity/fsuuid.h"
#include "integrity/fast_answer.h"
#include "integrity/exempt.h"
#include "integrity/gate.h"
#include "integrity/mark_child.h"
#include "integrity/mark_record.h"
#include "integrity/marks.h"
#include "integrity/measure.h"
#include "integrity/mmap_watch.h"
#include "integrity/records.h"
#include "integrity/requests.h"
#include "model/gate_guard.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Judges at once: each holds one opener while it hashes, so a few let a
 * container's parallel first execs go on; the share keeps one container's
 * burst from taking every other container's turn.
 */
#define INTEGRITY_WORKERS 4
#define INTEGRITY_PENDING_MAX 512
#define INTEGRITY_CONTAINER_MAX 128
/* One container's judges at once: one is always left for the others (gate_share.h). */
#define INTEGRITY_CONTAINER_JUDGES (INTEGRITY_WORKERS - 1)

static bool running;

bool integrity_running(void)
{
	return running;
}

/* On the gate's reader thread: identity_label() is one map lookup, safe there. */
static bool classify(pid_t pid, uint64_t *ret_contid, void *ctx)
{
	struct canister_label label;

	(void)ctx;
	if (identity_label(pid, &label) < 0 || label.contid == CANISTER_CONTID_UNSET)
		return false;
	*ret_contid = label.contid;
	return true;
}

/*
 * The outermost container's share of the judges: a container root may nest
 * containers of its own, and each must not bring a share more.  One map
 * lookup per level; a chain dropped meanwhile ends where it was.
 */
static uint64_t share_owner(uint64_t contid, void *ctx)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth = identity_parents(contid, chain);

	(void)ctx;
	return depth ? chain[depth - 1] : contid;
}

/*
 * A registration, a join, a setns or an unshare: the process may be in a
 * mount namespace no fork showed (an init that execs without forking).
 */
static void own_record(const char *line, size_t len, uint64_t contid, void *ctx)
{
	pid_t pid = mark_record_pid(line, len);

	(void)contid;
	(void)ctx;
	if (running && pid && identity_contid(pid, &contid) == 0)
		marks_process_started(pid, contid, true);
}

static const struct records_subscriber marks_records = { .record = own_record };

/*
 * Whether the gate must see every open: a live IMA policy's FILE_CHECK rule,
 * an MMAP_CHECK the backstop enforces (it judges libraries as they are
 * opened), or a held access policy that handles read or write.
 */
static bool opens_wanted(void)
{
	return measure_file_check() || backstop_wants_opens() || access_gate_wants_opens() ||
	       model_gate_wants_opens();
}

static int integrity_open(struct canisterd *d, char *why, size_t why_len)
{
	struct gate_config gate = {
		.workers = INTEGRITY_WORKERS,
		.pending_max = INTEGRITY_PENDING_MAX,
		.container_max = INTEGRITY_CONTAINER_MAX,
		.container_judges = INTEGRITY_CONTAINER_JUDGES,
		.deadline_ms = d->config.integrity_deadline_ms,
		.fail_closed = d->config.integrity_fail_closed,
		.classify = classify,
		.owner = share_owner,
		.judge = measure_judge,
		.fast = fast_answer,
		/*
		 * The held access policies decide first (an LSM's refusal comes before
		 * IMA's), then the behaviour models (an event access denies is no
		 * event of the workload's).
		 */
		.guards = { &access_gate_guard, &model_gate_guard },
	};
	unsigned int marked;
	char detail[256];
	int r;

	if (!d->config.integrity)
		return 0;
	/* Before the gate's judges read a UUID. */
	log_info("integrity: fsuuid= %s: %s",
		 fsuuid_probe(detail, sizeof(detail)) ? "available" : "unavailable", detail);
	/* First: a list refused while measure_open() reloads is recorded. */
	r = integrity_records_open(d, why, why_len);
	if (r < 0)
		return r;
	/* Before measure_open(): reloaded lists are queued for their TPMs at once. */
	r = attest_open(&d->config, why, why_len);
	if (r < 0) {
		integrity_records_close(d);
		return r;
	}
	/*
	 * Before measure_open(): a list refused at reload sets its container's
	 * directory aside, keys included; the keys reloaded here stay in force.
	 */
	r = appraise_open(&d->config, why, why_len);
	if (r < 0) {
		attest_close();
		integrity_records_close(d);
		return r;
	}
	r = measure_open(&d->config, why, why_len);
	if (r < 0) {
		appraise_close();
		attest_close();
		integrity_records_close(d);
		return r;
	}
	appraise_judge_open(&d->config);
	/* After the reload: what is left under integrity_dir and not live has ended. */
	ended_open(d->config.integrity_dir, d->config.integrity_ended_kept);
	/*
	 * Before the gate: its judges write the backstop's verdicts from the
	 * first exec.  Without it (a refused load) the gate still enforces.
	 */
	r = backstop_open(d, why, why_len);
	if (r < 0) {
		log_warning("integrity: the appraisal backstop is unavailable: %s", why);
		why[0] = '\0';
	}
	/* FILE_CHECK costs a wait on every open: only when the policy asks for it. */
	gate.file_check = opens_wanted();
	r = gate_start(&gate, why, why_len);
	if (r < 0) {
		backstop_close();
		ended_close();
		attest_close();
		measure_close();
		appraise_judge_close();
		appraise_close();
		integrity_records_close(d);
		return r;
	}
	running = true;
	/* After the gate: a mapping's entry needs measure's lists, not the gate. */
	r = mmap_watch_open(d, why, why_len);
	if (r < 0) {
		log_warning("integrity: MMAP_CHECK unavailable: %s", why);
		why[0] = '\0';
	}
	marked = marks_open();
	/*
	 * The last run's verdicts go once the gate sees the containers' execs to
	 * give them again: before, a verdict dropped would be a denial of an exec
	 * no gate judges (the marks of containers' namespaces come from helpers).
	 */
	if (!marks_settle(MARK_CHILD_DEADLINE_MS))
		log_warning("integrity: a namespace is not marked within %d ms; the backstop's "
			    "verdicts of the last run are dropped all the same",
			    MARK_CHILD_DEADLINE_MS);
	backstop_forget(0);
	if (records_subscribe(&marks_records) < 0)
		log_warning("integrity: no room to follow registrations: namespaces are marked "
			    "at their first fork only");
	log_info("integrity: measuring; %u filesystems watched%s%s", marked,
		 gate.file_check ? ", opens too (FILE_CHECK)" : "",
		 d->config.integrity_swtpm ? "; a swtpm per container"
					   : "; a swtpm for containers that choose one");
	return 0;
}

static void integrity_close(struct canisterd *d)
{
	bool judges_done;
	struct measure_stats measured;
	struct gate_stats stats;

	(void)d;
	if (!running)
		return;
	running = false;
	/* The gate first: no judge may be left measuring into lists measure_close() frees. */
	records_unsubscribe(&marks_records);
	marks_close();
	mmap_watch_close();
	ended_close();
	gate_stats(&stats);
	judges_done = gate_stop();
	/* Extends queued by the last judges go in, then every swtpm stops (even with a judge
	 * stuck). */
	attest_close();
	measure_stats(&measured);
	log_info("integrity: stopped after %llu events (%llu judged, %llu late, %llu busy), "
		 "%llu entries",
		 (unsigned long long)stats.events, (unsigned long long)stats.judged,
		 (unsigned long long)stats.late, (unsigned long long)stats.busy,
		 (unsigned long long)measured.entries);
	/* A judge stuck in a read may still write into the lists when it returns: they stay. */
	if (judges_done) {
		backstop_close();
		measure_close();
		appraise_judge_close();
		appraise_close();
		integrity_records_close(d);
	} else {
		log_warning("integrity: a judge is still reading a file; its lists stay in "
			    "memory until canisterd exits");
	}
}

/* A forked process may be the first seen in a mount namespace: its filesystems get marked. */
static void integrity_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns)
{
	uint64_t contid;

	(void)d;
	(void)ktime_ns;
	if (running && identity_contid(pid, &contid) == 0)
		marks_process_started(pid, contid, false);
}

bool integrity_mark_also(int group, uint64_t mask)
{
	if (!running)
		return false;
	mark_child_also(group, mask);
	if (group < 0)
		return true;
	marks_remark();
	if (!marks_settle(MARK_CHILD_DEADLINE_MS))
		log_warning("integrity: a namespace is not marked for another group within %d ms "
			    "(its helper goes on)",
			    MARK_CHILD_DEADLINE_MS);
	return true;
}

void integrity_follow_file_check(bool wait)
{
	bool wanted;

	if (!running)
		return;
	wanted = opens_wanted();
	if (!gate_set_file_check(wanted))
		return;
	if (wanted)
		log_info("integrity: FILE_CHECK on: a live IMA policy has a rule it can match, or "
			 "an access policy handles read or write; every open on a watched "
			 "filesystem now waits for the gate");
	else
		log_info("integrity: FILE_CHECK off: no live policy needs it any more");
	marks_remark();
	if (wait && !marks_settle(MARK_CHILD_DEADLINE_MS))
		log_warning("integrity: FILE_CHECK %s: a namespace is not marked again within "
			    "%d ms (its helper goes on)",
			    wanted ? "on" : "off", MARK_CHILD_DEADLINE_MS);
}

static void integrity_tick(struct canisterd *d)
{
	(void)d;
	if (running) {
		/* A container dropped: the policy that needed FILE_CHECK may be the last. */
		integrity_follow_file_check(false);
		marks_tick();
		attest_tick();
		ended_tick();
	}
}

static int by_contid(const void *a, const void *b)
{
	const struct measure_container *x = a, *y = b;

	return x->contid < y->contid ? -1 : x->contid > y->contid;
}

/* Runs on the main loop: the gate's counters are atomic reads, measure's lock is never held long.
 */
static void integrity_status(struct canisterd *d, struct canister_status *ret)
{
	/* The lowest contids among the first this many the judge holds: bounded work. */
	static struct measure_container held[1024];
	struct canister_integrity_status *status = &ret->integrity;
	struct mmap_watch_stats mapped;
	struct exempt_stats exempt;
	struct backstop_stats stopped;
	struct measure_stats measured;
	struct appraise_counts appraised;
	struct appraise_judge_stats judged;
	struct gate_stats gate;
	size_t total, n;

	status->on = running;
	status->fail_closed = d->config.integrity_fail_closed;
	status->deadline_ms = d->config.integrity_deadline_ms;
	if (!running)
		return;
	gate_stats(&gate);
	measure_stats(&measured);
	status->events = gate.events;
	status->own = gate.own;
	status->host = gate.host;
	status->fast = gate.fast;
	status->judged = gate.judged;
	status->denied = gate.denied;
	status->busy = gate.busy;
	status->late = gate.late;
	status->stuck = gate.stuck;
	status->marks = gate.marks;
	status->write_fail = gate.write_fail;
	status->entries = measured.entries;
	status->hashed = measured.hashed;
	status->cache_hits = measured.cache_hits;
	status->errors = measured.errors;
	status->listed = measured.listed;
	status->file_check = gate_file_check();
	exempt_stats(&exempt);
	status->coverage_exempt = exempt.in_force;
	snprintf(status->coverage_detail, sizeof(status->coverage_detail), "%s", exempt.detail);
	gate_reader_detail(status->reader_detail, sizeof(status->reader_detail));
	status->exempt_mounts = exempt.mounts;
	status->exempt_removed = exempt.removed;
	status->exempt_withdrawn = exempt.withdrawn;
	status->opens = gate.opens;
	status->violations = measured.violations;
	measure_violation_checks(status->violation_checks, sizeof(status->violation_checks));
	appraise_counts(&appraised);
	status->appraise_off = appraised.off;
	status->appraise_log = appraised.log;
	status->appraise_enforce = appraised.enforce;
	snprintf(status->appraise_default, sizeof(status->appraise_default), "%s",
		 canister_appraise_mode_name(appraise_default_mode()));
	status->appraise_host_keys = appraised.host_keys;
	status->appraise_keys_refused = appraised.keys_refused;
	status->host_keys = appraised.host_key_count;
	appraise_judge_stats(&judged);
	status->appraised = judged.appraised;
	status->appraise_denied = judged.denied;
	status->appraise_logged = judged.logged;
	status->appraise_verified = judged.verified;
	status->appraise_cache_hits = judged.cache_hits;
	status->appraise_unreadable = judged.unreadable;
	status->appraise_opens = judged.opens;
	status->appraise_writers = judged.writers;
	if (appraised.keys_refused)
		canister_status_warn(&ret->warnings,
				     "integrity: the stored appraisal keys of %llu containers were "
				     "refused at start: they appraise with no keys of their own "
				     "(canisterd's log names them)",
				     (unsigned long long)appraised.keys_refused);
	status->fsuuid = fsuuid_available(status->fsuuid_detail, sizeof(status->fsuuid_detail));
	mmap_watch_stats(&mapped);
	status->mmap = mapped.on;
	snprintf(status->mmap_detail, sizeof(status->mmap_detail), "%s", mapped.detail);
	status->mmap_reported = mapped.events;
	status->mmap_dropped = mapped.lost;
	status->mmap_unlisted = mapped.unlisted;
	status->mmap_kernel_digests = measured.kernel_digests;
	status->mmap_rehashed = measured.mapping_rehashed;
	status->mmap_unmeasured = measured.mapping_unreadable;
	backstop_stats(&stopped);
	status->backstop = stopped.on;
	snprintf(status->backstop_detail, sizeof(status->backstop_detail), "%s", stopped.detail);
	status->backstop_denied = stopped.denied;
	status->backstop_logged = stopped.logged;
	status->backstop_lost = stopped.lost;
	status->backstop_verdicts = stopped.written;
	status->records_lost = integrity_records_lost();
	status->records_suppressed = integrity_records_suppressed();
	total = measure_containers(held, sizeof(held) / sizeof(held[0]));
	n = total < sizeof(held) / sizeof(held[0]) ? total : sizeof(held) / sizeof(held[0]);
	qsort(held, n, sizeof(held[0]), by_contid);
	status->containers = total;
	status->list_count = 0;
	for (size_t i = 0; i < n && status->list_count < CANISTER_STATUS_INTEGRITY_SHOWN; i++)
		status->lists[status->list_count++] = (struct canister_integrity_list_status){
			.contid = held[i].contid,
			.entries = held[i].entries,
			.own_policy = held[i].own_policy,
		};
	if (gate.late || gate.busy)
		canister_status_warn(
			&ret->warnings,
			"integrity: %llu opens were answered by the fail policy (%s) "
			"without a measurement: %llu after the deadline of %u ms, %llu "
			"for want of room to judge them; their files may be missing "
			"from the lists",
			(unsigned long long)(gate.late + gate.busy),
			status->fail_closed ? "closed: denied" : "open: allowed",
			(unsigned long long)gate.late, d->config.integrity_deadline_ms,
			(unsigned long long)gate.busy);
	if (attest_test_quote_delay_ms())
		canister_status_warn(&ret->warnings,
				     "test switch CANISTERD_TEST_QUOTE_DELAY_MS=%u is on: every "
				     "quote waits %u ms",
				     attest_test_quote_delay_ms(), attest_test_quote_delay_ms());
	if (gate.stuck)
		canister_status_warn(
			&ret->warnings,
			"integrity: %llu judges are still busy with opens the deadline "
			"answered (a file that does not read)",
			(unsigned long long)gate.stuck);
}

static const struct capability_request integrity_requests[] = {
	{ CANISTER_OP_INTEGRITY_POLICY, integrity_handle_policy },
	{ CANISTER_OP_INTEGRITY_READ, integrity_handle_read },
	{ CANISTER_OP_INTEGRITY_QUOTE, integrity_handle_quote },
	{ CANISTER_OP_INTEGRITY_TPM, integrity_handle_tpm },
	{ CANISTER_OP_INTEGRITY_KEY_ADD, integrity_handle_key_add },
	{ CANISTER_OP_INTEGRITY_KEY_REMOVE, integrity_handle_key_remove },
	{ CANISTER_OP_INTEGRITY_APPRAISE, integrity_handle_appraise },
	{ 0, NULL },
};

/* One BPF object's pins, for `canisterd --unload`. */
static const char *const *const integrity_pinned_map_lists[] = { backstop_pinned_maps, NULL };

const struct capability integrity_capability = {
	.name = "integrity",
	.open = integrity_open,
	.close = integrity_close,
	.tick = integrity_tick,
	.process_started = integrity_process_started,
	.status = integrity_status,
	.requests = integrity_requests,
	.pinned_maps = integrity_pinned_map_lists,
};
