// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the status: its core section (mode, features, daemon) and the assembly of all. */
#include "core/status.h"

#include "core/capability.h"
#include "core/control.h"
#include "core/in_root.h"
#include "core/log.h"
#include "core/records.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Shown next to the mode so nobody mistakes observation for defence. */
static const char *protection_text(enum daemon_mode mode)
{
	if (mode == DAEMON_MODE_LSM)
		return "lsm mode: BPF LSM hooks refuse labelled processes canister's maps; "
		       "signals, ptrace, scheduling, limits, cgroups and /proc files of "
		       "canisterd; ptrace outside their container; and kernel code and helpers "
		       "(modules, BPF programs, global sysctls, request-key, binfmt_misc, "
		       "kernel settings files, what lockdown=integrity forbids)";
	return "trace mode: labels are observed, not defended; they are safe only while "
	       "containers lack CAP_SYS_ADMIN, CAP_BPF and bpffs (see README, threat model)";
}

static void daemon_status(const struct canisterd *d, struct canister_daemon_status *ret)
{
	const struct canister_config *config = &d->config;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ret->pid = d->pid;
	snprintf(ret->version, sizeof(ret->version), "%s", CANISTER_VERSION);
	ret->started = d->started_realtime;
	ret->uptime_seconds = (uint64_t)(now.tv_sec - d->started_monotonic.tv_sec);
	snprintf(ret->config, sizeof(ret->config), "%s", d->config_path);
	ret->config_present = d->config_present;
	snprintf(ret->pin_path, sizeof(ret->pin_path), "%s", config->pin_path);
	snprintf(ret->control_socket, sizeof(ret->control_socket), "%s", config->control_socket);
	snprintf(ret->log, sizeof(ret->log), "%s", log_destination());
	ret->log_level = config->log_level;
	snprintf(ret->audit_log, sizeof(ret->audit_log), "%s", config->audit_log);
	ret->nest_limit = config->nest_limit;
	ret->kernel_audit = config->kernel_audit;
	snprintf(ret->host_log, sizeof(ret->host_log), "%s", config->host_log);
	snprintf(ret->audit_rules, sizeof(ret->audit_rules), "%s", config->audit_rules);
	ret->join_policy = config->join_policy;
}

void core_status(struct canisterd *d, struct canister_core_status *ret,
		 struct canister_status_warnings *warnings)
{
	struct records_counters written;
	struct control_counters control;
	struct in_root_stats helpers;

	memset(ret, 0, sizeof(*ret));
	ret->mode = d->mode == DAEMON_MODE_LSM ? CANISTER_MODE_LSM : CANISTER_MODE_TRACE;
	snprintf(ret->mode_reason, sizeof(ret->mode_reason), "%s", d->mode_reason);
	daemon_status(d, &ret->daemon);
	for (int i = 0; i < FEATURE_COUNT && i < CANISTER_STATUS_FEATURES_MAX; i++) {
		struct canister_feature_status *feature = &ret->features[ret->feature_count++];

		snprintf(feature->name, sizeof(feature->name), "%s", d->features[i].name);
		feature->available = d->features[i].available;
		snprintf(feature->detail, sizeof(feature->detail), "%s", d->features[i].detail);
	}
	snprintf(ret->protection, sizeof(ret->protection), "%s", protection_text(d->mode));
	records_counters(&written);
	ret->records_written = written.written;
	ret->records_failed = written.failed;
	control_counters(&control);
	ret->control_connections = control.connections;
	ret->control_host_connections = control.host_connections;
	ret->control_accepted = control.accepted;
	ret->control_refused_connections = control.refused_connections;
	ret->control_unidentified = control.unidentified;
	ret->control_idle_closed = control.idle_closed;
	ret->control_throttled = control.throttled_requests;
	ret->control_refusals_recorded = control.refusals_recorded;
	ret->control_refusals_folded = control.refusals_folded;
	ret->control_summaries = control.summaries;

	if (written.failed)
		canister_status_warn(warnings,
				     "%" PRIu64
				     " records could not be written to %s (see the daemon log)",
				     written.failed, records_path());
	in_root_stats(&helpers);
	if (helpers.stuck)
		canister_status_warn(
			warnings,
			"%" PRIu64 " helper processes killed at their deadline are stuck "
			"in a filesystem that does not answer (named in the daemon log); "
			"reaped when it lets them go",
			helpers.stuck);
	if (d->pending_restart[0])
		canister_status_warn(warnings, "changed in the config, effective at restart: %s",
				     d->pending_restart);
}

void status_fill(struct canisterd *d, struct canister_status *ret)
{
	memset(&ret->warnings, 0, sizeof(ret->warnings));
	core_status(d, &ret->core, &ret->warnings);
	capabilities_status(d, ret);
}

int handle_status(struct canisterd *d, const struct peer *peer,
		  const struct canister_request *request, struct canister_reply *ret)
{
	status_fill(d, &ret->status);
	return 0;
}
