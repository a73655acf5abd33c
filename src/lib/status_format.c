// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the human-readable form of canisterd's status. */
#include "lib/status_format.h"

#include "lib/config.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

void canister_format_duration(unsigned long long seconds, char *buf, size_t len)
{
	unsigned long long days = seconds / 86400, hours = seconds / 3600 % 24,
			   minutes = seconds / 60 % 60, secs = seconds % 60;

	if (days)
		snprintf(buf, len, "%llud %02lluh %02llum %02llus", days, hours, minutes, secs);
	else if (hours)
		snprintf(buf, len, "%lluh %02llum %02llus", hours, minutes, secs);
	else if (minutes)
		snprintf(buf, len, "%llum %02llus", minutes, secs);
	else
		snprintf(buf, len, "%llus", secs);
}

/* Counters in the order, and under the names, of the JSON "counters" object. */
static void print_counters(const struct canister_status *status, FILE *out)
{
	const struct canister_identity_status *identity = &status->identity;
	const struct {
		const char *name;
		uint64_t value;
	} counters[] = {
		{ "events", identity->events },
		{ "events_received", identity->events_received },
		{ "lost", identity->lost },
		{ "inherited", identity->inherited },
		{ "cleared", identity->cleared },
		{ "inherit_failed", identity->inherit_failed },
		{ "guard_denied", identity->guard_denied },
		{ "joined", identity->joined },
		{ "labelled_processes", identity->labelled_processes },
		{ "containers", identity->containers },
		{ "containers_dropped", identity->containers_dropped },
		{ "fork_refused", identity->fork_refused },
		{ "labels_used", identity->labels_used },
		{ "labels_capacity", identity->labels_capacity },
		{ "records_written", status->core.records_written },
		{ "records_failed", status->core.records_failed },
		{ "control_connections", status->core.control_connections },
		{ "control_host_connections", status->core.control_host_connections },
		{ "control_accepted", status->core.control_accepted },
		{ "control_refused_connections", status->core.control_refused_connections },
		{ "control_unidentified", status->core.control_unidentified },
		{ "control_idle_closed", status->core.control_idle_closed },
		{ "control_throttled", status->core.control_throttled },
		{ "control_refusals_recorded", status->core.control_refusals_recorded },
		{ "control_refusals_folded", status->core.control_refusals_folded },
		{ "control_summaries", status->core.control_summaries },
	};

	fprintf(out, "counters:\n");
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		fprintf(out, "  %-18s %" PRIu64 "\n", counters[i].name, counters[i].value);
}

/* The scan's result runs behind the labels: say how far, so nobody takes it for now. */
static void print_privileged(const struct canister_privileged_scan *scan, FILE *out)
{
	char age[64];

	if (!scan->done) {
		fprintf(out, "privileged scan: not finished yet\n");
		return;
	}
	if (scan->age_ms < 1000)
		snprintf(age, sizeof(age), "%" PRIu64 " ms", scan->age_ms);
	else
		canister_format_duration(scan->age_ms / 1000, age, sizeof(age));
	fprintf(out,
		"privileged scan: %" PRIu64 " of %" PRIu64
		" labelled processes could tamper with labels (%s ago, took %" PRIu64 " ms)\n",
		scan->privileged, scan->scanned, age, scan->duration_ms);
}

/* "kernel_audit: auto → via auditd plugin (auditd pid 812)", then why. */
static void print_kernel_audit(const struct canister_status *status, FILE *out)
{
	const struct canister_kernel_audit_status *kernel = &status->audit.kernel;
	const char *setting = canister_kernel_audit_name(status->core.daemon.kernel_audit);

	switch (kernel->source) {
	case CANISTER_AUDIT_SOURCE_OWN:
		fprintf(out, "kernel_audit: %s → own stream (canisterd is the audit daemon)\n",
			setting);
		break;
	case CANISTER_AUDIT_SOURCE_AUDITD:
		fprintf(out, "kernel_audit: %s → via auditd plugin (auditd pid %d)%s\n", setting,
			(int)kernel->auditd_pid,
			kernel->plugin_connected ? "" : ", canister-audisp not connected");
		break;
	default:
		fprintf(out, "kernel_audit: off\n");
		return;
	}
	fprintf(out, "  why: %s\n", kernel->source_reason);
}

/* "integrity: on, fail open, deadline 5000 ms", the gate's counters, then the lists shown. */
static void print_integrity(const struct canister_integrity_status *integrity, FILE *out)
{
	if (!integrity->on) {
		fprintf(out, "integrity: off\n");
		return;
	}
	fprintf(out, "integrity: on, fail %s, deadline %" PRIu64 " ms\n",
		integrity->fail_closed ? "closed" : "open", integrity->deadline_ms);
	fprintf(out,
		"  gate: %" PRIu64 " events, %" PRIu64 " own, %" PRIu64 " host, %" PRIu64
		" answered at once, %" PRIu64 " judged, %" PRIu64 " denied, %" PRIu64
		" busy, %" PRIu64 " late, %" PRIu64 " stuck, %" PRIu64 " marks\n",
		integrity->events, integrity->own, integrity->host, integrity->fast,
		integrity->judged, integrity->denied, integrity->busy, integrity->late,
		integrity->stuck, integrity->marks);
	fprintf(out,
		"  coverage: %s (%s); %" PRIu64 " ignore marks removed by %" PRIu64
		" withdrawals\n",
		integrity->coverage_exempt ? "host mounts exempt" : "every open judged",
		integrity->coverage_detail, integrity->exempt_removed, integrity->exempt_withdrawn);
	/* A daemon from before the field sends none. */
	if (integrity->reader_detail[0])
		fprintf(out, "  reader: %s\n", integrity->reader_detail);
	fprintf(out, "  file_check: %s, %" PRIu64 " open events\n",
		integrity->file_check ? "on (a live policy needs it)" : "off", integrity->opens);
	fprintf(out, "  violations: %" PRIu64 " (%s)\n", integrity->violations,
		integrity->violation_checks);
	fprintf(out,
		"  lists: %" PRIu64 " containers, %" PRIu64 " entries, %" PRIu64
		" files hashed, %" PRIu64 " cache hits, %" PRIu64 " listed already, %" PRIu64
		" errors\n",
		integrity->containers, integrity->entries, integrity->hashed, integrity->cache_hits,
		integrity->listed, integrity->errors);
	fprintf(out,
		"  appraisal: %" PRIu64 " enforce, %" PRIu64 " log, %" PRIu64
		" off of their own, every other container %s (integrity_appraise); %" PRIu64
		" counting the host's %" PRIu64 " keys; %" PRIu64 " with keys refused\n",
		integrity->appraise_enforce, integrity->appraise_log, integrity->appraise_off,
		integrity->appraise_default[0] ? integrity->appraise_default : "off",
		integrity->appraise_host_keys, integrity->host_keys,
		integrity->appraise_keys_refused);
	fprintf(out,
		"  appraised: %" PRIu64 " execs, %" PRIu64 " opens, %" PRIu64 " denied, %" PRIu64
		" failed in log mode; %" PRIu64 " verified, %" PRIu64 " cache hits, %" PRIu64
		" unreadable, %" PRIu64 " open for writing elsewhere\n",
		/* Counted together under one lock; a reply from elsewhere is not trusted to. */
		integrity->appraised > integrity->appraise_opens
			? integrity->appraised - integrity->appraise_opens
			: 0,
		integrity->appraise_opens, integrity->appraise_denied, integrity->appraise_logged,
		integrity->appraise_verified, integrity->appraise_cache_hits,
		integrity->appraise_unreadable, integrity->appraise_writers);
	fprintf(out, "  fsuuid: %s (%s)\n", integrity->fsuuid ? "available" : "unavailable",
		integrity->fsuuid_detail);
	if (integrity->mmap)
		fprintf(out,
			"  mmap: %" PRIu64 " reported, %" PRIu64 " dropped, %" PRIu64
			" measured (%" PRIu64 " digests from the kernel, %" PRIu64
			" hashed by canisterd), %" PRIu64 " not measured (%s); %" PRIu64
			" not reported (no policy of the mapper's containers lists mappings)\n",
			integrity->mmap_reported, integrity->mmap_dropped,
			integrity->mmap_kernel_digests + integrity->mmap_rehashed,
			integrity->mmap_kernel_digests, integrity->mmap_rehashed,
			integrity->mmap_unmeasured, integrity->mmap_detail,
			integrity->mmap_unlisted);
	else
		fprintf(out, "  mmap: unavailable (%s)\n", integrity->mmap_detail);
	if (integrity->backstop)
		fprintf(out,
			"  backstop: on, %" PRIu64 " denied, %" PRIu64 " let in log mode (%" PRIu64
			" not recorded), %" PRIu64 " verdicts given (%s)\n",
			integrity->backstop_denied, integrity->backstop_logged,
			integrity->backstop_lost, integrity->backstop_verdicts,
			integrity->backstop_detail);
	else
		fprintf(out, "  backstop: unavailable (%s)\n", integrity->backstop_detail);
	fprintf(out,
		"  records: %" PRIu64 " lost, %" PRIu64
		" refusals and violations over a container's rate not written\n",
		integrity->records_lost, integrity->records_suppressed);
	for (unsigned int i = 0; i < integrity->list_count; i++)
		fprintf(out, "  container %" PRIu64 ": %" PRIu64 " entries, %s policy\n",
			integrity->lists[i].contid, integrity->lists[i].entries,
			integrity->lists[i].own_policy ? "its own" : "the default");
	if (integrity->containers > integrity->list_count)
		fprintf(out, "  (and %" PRIu64 " more containers)\n",
			integrity->containers - integrity->list_count);
}

/*
 * "access: N containers hold a policy (E enforce, C complain)", then each
 * right with what enforces it: said per right, never implied by the mode.
 */
static void print_access(const struct canister_access_status *access, FILE *out)
{
	if (!access->on) {
		fprintf(out, "access: off\n");
		return;
	}
	fprintf(out,
		"access: %" PRIu64 " containers hold a policy (%" PRIu64 " enforce, %" PRIu64
		" complain)",
		access->containers, access->enforce, access->complain);
	if (access->refused)
		fprintf(out, "; %" PRIu64 " stored policies refused at start", access->refused);
	if (access->landlock_abi)
		fprintf(out, "; Landlock ABI %" PRIu64 "\n", access->landlock_abi);
	else
		fprintf(out, "; no Landlock\n");
	fprintf(out,
		"  refusals: %" PRIu64 " denied, %" PRIu64 " complained; records: %" PRIu64
		" written, %" PRIu64 " repeated, %" PRIu64 " suppressed, %" PRIu64 " lost\n",
		access->denied, access->complained, access->written, access->repeated,
		access->suppressed, access->lost);
	if (access->default_policy[0])
		fprintf(out, "  default policy: %s, mode %s (containers that bring none)\n",
			access->default_policy, canister_access_mode_name(access->default_mode));
	else
		fprintf(out, "  default policy: none (access_policy in canister.conf)\n");
	for (unsigned int i = 0; i < access->right_count; i++)
		fprintf(out, "  %s: canisterd: %s; canister run --policy: %s\n",
			access->rights[i].right, access->rights[i].canisterd,
			access->rights[i].run);
}

/*
 * The observers of non-file events: the EVENT_IDs observed and those not
 * (with why), their records and drops; or why none run, so that a user
 * knows the models then see only the file gate's events.
 */
static void print_model_observed(const struct canister_model_status *model, FILE *out)
{
	if (!model->observed) {
		fprintf(out, "  observed: none (%s): the models see only the file gate's events\n",
			model->observed_unavailable);
		return;
	}
	fprintf(out, "  observed: %s; unavailable: %s\n", model->observed_available,
		model->observed_unavailable[0] ? model->observed_unavailable : "none");
	fprintf(out,
		"  observer records: %" PRIu64 " containers wanted, %" PRIu64 " sent, %" PRIu64
		" read, %" PRIu64 " fed to a model, %" PRIu64
		" dropped without a TASK_ID; drops: %" PRIu64 " over budget, %" PRIu64
		" ring full, %" PRIu64 " setid or mount not followed, %" PRIu64
		" malformed; %" PRIu64 " TASK_IDs not from an exec (read in /proc); %" PRIu64
		" forks without room for their origin\n",
		model->observed_wanted, model->observed_emitted, model->observed_decoded,
		model->observed_fed, model->observed_unresolved, model->observed_over_budget,
		model->observed_ring_full, model->observed_stash_full, model->observed_malformed,
		model->observed_task_id_misses, model->observed_origins_full);
	/* Which mode denies what, never implied: trace mode denies none of these. */
	if (strcmp(model->denied_in_kernel, "none") == 0 || !model->denied_in_kernel[0])
		fprintf(out,
			"  observed events denied: none (recorded only: forensics, the process "
			"untrusted)\n");
	else
		fprintf(out,
			"  observed events denied in the kernel when enforced: %s (%" PRIu64
			" containers; %" PRIu64 " coefficients unlike canisterd's)\n",
			model->denied_in_kernel, model->kernel_enforced, model->kernel_mismatched);
}

/*
 * "model: N domains (L learn, S seal, E enforce)", what they judged, and who
 * marks an untrusted process's children.
 */
static void print_model(const struct canister_model_status *model, FILE *out)
{
	if (!model->on) {
		fprintf(out, "model: off (it needs the file gate: integrity = on)\n");
		return;
	}
	fprintf(out,
		"model: %" PRIu64 " domains (%" PRIu64 " learn, %" PRIu64 " seal, %" PRIu64
		" enforce)",
		model->domains, model->learn, model->seal, model->enforce);
	if (model->refused)
		fprintf(out, "; %" PRIu64 " stored models refused at start", model->refused);
	fprintf(out,
		"; events at the file gate (exec, open)%s\n"
		"  events: %" PRIu64 " judged, %" PRIu64 " forensics, %" PRIu64 " denied, %" PRIu64
		" not learned, %" PRIu64 " denied unjudged (late or no room); records: %" PRIu64
		" written, %" PRIu64 " repeated, %" PRIu64 " suppressed, %" PRIu64 " lost\n"
		"  untrusted: %" PRIu64 " processes (%" PRIu64 " refused for want of room); "
		"children marked by %s\n",
		model->observed ? " and observed" : "", model->events, model->forensic,
		model->denied, model->unlearned, model->late_denied, model->written,
		model->repeated, model->suppressed, model->lost, model->untrusted,
		model->untrusted_refused, model->marking);
	/* Per container: another container's execs never make one forget (docs/model.md). */
	fprintf(out,
		"  TASK_IDs: %" PRIu64 " tasks remembered (a table per container); %" PRIu64
		" forgotten for want of room, by %" PRIu64 " containers' own tables (`canister "
		"model N counts`); %" PRIu64 " not remembered\n",
		model->task_ids_held, model->task_ids_forgotten, model->task_ids_forgetting,
		model->task_ids_refused);
	print_model_observed(model, out);
}

void canister_status_print(const struct canister_status *status, FILE *out)
{
	const struct canister_core_status *core = &status->core;
	const struct canister_daemon_status *daemon = &core->daemon;
	time_t started = (time_t)daemon->started;
	char uptime[64], since[32];
	struct tm tm;

	canister_format_duration(daemon->uptime_seconds, uptime, sizeof(uptime));
	if (!gmtime_r(&started, &tm) || !strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(since, sizeof(since), "?");
	fprintf(out, "mode: %s\n", canister_mode_name(core->mode));
	fprintf(out, "  why: %s\n", core->mode_reason);
	fprintf(out, "daemon: pid %d, up %s (since %s)\n", (int)daemon->pid, uptime, since);
	fprintf(out, "  config: %s%s\n", daemon->config,
		daemon->config_present ? "" : CANISTER_STATUS_CONFIG_ABSENT);
	fprintf(out, "  pin path: %s\n", daemon->pin_path);
	fprintf(out, "  control socket: %s\n", daemon->control_socket);
	fprintf(out, "  log: %s\n", daemon->log);

	fprintf(out, "features:\n");
	for (unsigned int i = 0; i < core->feature_count; i++)
		fprintf(out, "  %-14s %-12s %s\n", core->features[i].name,
			core->features[i].available ? "available" : "unavailable",
			core->features[i].detail);

	fprintf(out, "protection: %s\n", core->protection);
	print_kernel_audit(status, out);
	print_integrity(&status->integrity, out);
	print_access(&status->access, out);
	print_model(&status->model, out);
	print_counters(status, out);
	print_privileged(&status->identity.privileged, out);
	for (unsigned int i = 0; i < status->warnings.count; i++)
		fprintf(out, "warning: %s\n", status->warnings.text[i]);
}
