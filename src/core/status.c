// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the status document: mode, probed features, health and counters. */
#include "core/status.h"

#include "core/records.h"
#include "identity/containers.h"
#include "identity/events.h"
#include "identity/labels.h"
#include "audit/stream.h"
#include "audit/plugins.h"
#include "audit/sinks.h"
#include "core/loader.h"
#include "core/log.h"
#include "lib/procfs.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shown next to the mode so nobody mistakes observation for defence. */
static const char *protection_text(enum daemon_mode mode)
{
	if (mode == DAEMON_MODE_LSM)
		return "lsm mode: labelled processes are refused canister's maps, and signals and "
		       "ptrace against canisterd, by BPF LSM hooks";
	return "trace mode: labels are observed, not defended; they are safe only while "
	       "containers lack CAP_SYS_ADMIN, CAP_BPF and bpffs (see README, threat model)";
}

static void add_u64(struct json_object *object, const char *key, uint64_t value)
{
	json_object_object_add(object, key, json_object_new_uint64(value));
}

/*
 * Walks the labels map: counts labelled processes and, for the trace-mode
 * threat model, names those that hold what would let them rewrite labels.
 */
struct labelled_scan {
	enum daemon_mode mode;
	uint64_t count;
	struct json_object *warnings;
};

static bool check_labelled(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct labelled_scan *scan = ctx;
	uint64_t caps;

	/* A delegated process outside containers carries a label, but no contid. */
	if (label->contid == CANISTER_CONTID_UNSET)
		return true;
	scan->count++;
	if (canister_proc_cap_effective(tgid, &caps) < 0)
		return true;
	if (caps & ((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_BPF))) {
		char text[200];

		snprintf(text, sizeof(text),
			 "pid %u in container %" PRIu64
			 " holds CAP_SYS_ADMIN or CAP_BPF and could tamper with labels%s",
			 tgid, (uint64_t)label->contid,
			 scan->mode == DAEMON_MODE_LSM ? " (the lsm guard refuses it)" : "");
		json_object_array_add(scan->warnings, json_object_new_string(text));
	}
	return true;
}

static uint64_t scan_labelled(struct canisterd *d, struct json_object *warnings)
{
	struct labelled_scan scan = { .mode = d->mode, .warnings = warnings };

	labels_for_each(check_labelled, &scan);
	return scan.count;
}

static bool count_one(uint64_t contid, const struct canister_container *c, void *ctx)
{
	(*(uint64_t *)ctx)++;
	return true;
}

static uint64_t count_containers(struct canisterd *d)
{
	uint64_t count = 0;

	containers_for_each(d, count_one, &count);
	return count;
}

static void add_kernel_audit(const struct canisterd *d, struct json_object *doc)
{
	struct json_object *kernel = json_object_new_object();
	struct json_object *sinks = json_object_new_array();
	struct json_object *plugins = json_object_new_array();
	struct kaudit_counters counters;
	bool owner = kaudit_counters(&counters);

	json_object_object_add(kernel, "audit_daemon", json_object_new_boolean(owner));
	add_u64(kernel, "events", counters.events);
	add_u64(kernel, "container_id_records", counters.attributed);
	add_u64(kernel, "write_failures", counters.write_failures);
	add_u64(kernel, "filtered_by_contid", counters.filtered);
	add_u64(kernel, "sink_only_events", counters.sink_only);
	add_u64(kernel, "netlink_overruns", counters.overruns);
	add_u64(kernel, "truncated_records", counters.truncated);
	add_u64(kernel, "refused_records", counters.refused);
	add_u64(kernel, "no_memory_records", counters.no_memory);
	add_u64(kernel, "events_cut_short", counters.forced);
	add_u64(kernel, "disk_full_lost", counters.disk_full_lost);
	add_u64(kernel, "rotations", counters.rotations);
	add_u64(kernel, "rotation_failures", counters.rotation_failures);
	json_object_object_add(doc, "kernel_audit", kernel);

	for (size_t i = 0; i < sinks_count(); i++) {
		struct json_object *entry = json_object_new_object();
		struct sink_info info;
		char contid[24];

		if (!sinks_get(i, &info))
			break;
		snprintf(contid, sizeof(contid), "%" PRIu64, info.config.contid);
		json_object_object_add(entry, "contid", json_object_new_string(contid));
		json_object_object_add(entry, "log", json_object_new_string(info.config.log));
		json_object_object_add(
			entry, "format",
			json_object_new_string(canister_log_format_name(info.config.format)));
		if (info.config.rules[0])
			json_object_object_add(entry, "rules",
					       json_object_new_string(info.config.rules));
		if (info.config.socket[0])
			json_object_object_add(entry, "socket",
					       json_object_new_string(info.config.socket));
		add_u64(entry, "rules_loaded", info.rule_count);
		add_u64(entry, "backlog", info.config.backlog);
		add_u64(entry, "queued", info.queued);
		add_u64(entry, "events", info.events);
		add_u64(entry, "dropped", info.dropped);
		add_u64(entry, "lost_records", info.lost_records);
		add_u64(entry, "disk_full_lost", info.disk_full_lost);
		add_u64(entry, "write_failures", info.write_failures);
		add_u64(entry, "rotations", info.rotations);
		add_u64(entry, "rotation_failures", info.rotation_failures);
		add_u64(entry, "readers", info.readers);
		json_object_array_add(sinks, entry);
	}
	json_object_object_add(doc, "sinks", sinks);

	for (size_t i = 0; i < plugins_count(); i++) {
		struct json_object *entry = json_object_new_object();
		struct plugin_info info;

		plugins_get(i, &info);
		json_object_object_add(entry, "name", json_object_new_string(info.name));
		json_object_object_add(entry, "pid", json_object_new_int64(info.pid));
		json_object_object_add(entry, "running", json_object_new_boolean(info.running));
		add_u64(entry, "events", info.events);
		add_u64(entry, "dropped", info.dropped);
		add_u64(entry, "restarts", info.restarts);
		json_object_array_add(plugins, entry);
	}
	json_object_object_add(doc, "plugins", plugins);
}

struct json_object *status_document(struct canisterd *d)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *daemon = json_object_new_object();
	struct json_object *features = json_object_new_object();
	struct json_object *counters = json_object_new_object();
	struct json_object *warnings = json_object_new_array();
	struct timespec now;
	char started[32], config[CANISTER_CONFIG_PATH_MAX + 64];
	struct records_counters written;
	uint64_t received, lost;

	json_object_object_add(doc, "ok", json_object_new_boolean(1));
	json_object_object_add(doc, "mode", json_object_new_string(daemon_mode_name(d->mode)));
	json_object_object_add(doc, "mode_reason", json_object_new_string(d->mode_reason));

	clock_gettime(CLOCK_MONOTONIC, &now);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime(&d->started_realtime));
	snprintf(config, sizeof(config), "%s%s", d->config_path,
		 d->config_present ? "" : " (absent: defaults)");
	json_object_object_add(daemon, "pid", json_object_new_int(d->pid));
	json_object_object_add(daemon, "version", json_object_new_string(CANISTER_VERSION));
	json_object_object_add(daemon, "started", json_object_new_string(started));
	add_u64(daemon, "uptime_seconds", now.tv_sec - d->started_monotonic.tv_sec);
	json_object_object_add(daemon, "config", json_object_new_string(config));
	json_object_object_add(daemon, "pin_path", json_object_new_string(d->config.pin_path));
	json_object_object_add(daemon, "control_socket",
			       json_object_new_string(d->config.control_socket));
	json_object_object_add(daemon, "log", json_object_new_string(log_destination()));
	json_object_object_add(
		daemon, "log_level",
		json_object_new_string(canister_log_level_name(d->config.log_level)));
	json_object_object_add(daemon, "audit_log", json_object_new_string(d->config.audit_log));
	json_object_object_add(daemon, "nest_limit", json_object_new_int(d->config.nest_limit));
	json_object_object_add(daemon, "kernel_audit",
			       json_object_new_string(d->config.kernel_audit ? "on" : "off"));
	json_object_object_add(daemon, "host_log", json_object_new_string(d->config.host_log));
	json_object_object_add(daemon, "audit_rules",
			       json_object_new_string(d->config.audit_rules));
	json_object_object_add(
		daemon, "join_policy",
		json_object_new_string(canister_join_policy_name(d->config.join_policy)));
	json_object_object_add(doc, "daemon", daemon);

	for (int i = 0; i < FEATURE_COUNT; i++) {
		struct json_object *feature = json_object_new_object();

		json_object_object_add(feature, "available",
				       json_object_new_boolean(d->features[i].available));
		json_object_object_add(feature, "detail",
				       json_object_new_string(d->features[i].detail));
		json_object_object_add(features, d->features[i].name, feature);
	}
	json_object_object_add(doc, "features", features);
	json_object_object_add(doc, "protection", json_object_new_string(protection_text(d->mode)));

	received = events_received_total();
	records_counters(&written);
	lost = labels_stat_sum(CANISTER_STAT_LOST);
	add_u64(counters, "events", labels_stat_sum(CANISTER_STAT_EVENTS));
	add_u64(counters, "events_received", received);
	add_u64(counters, "lost", lost);
	add_u64(counters, "inherited", labels_stat_sum(CANISTER_STAT_INHERITED));
	add_u64(counters, "cleared", labels_stat_sum(CANISTER_STAT_CLEARED));
	add_u64(counters, "inherit_failed", labels_stat_sum(CANISTER_STAT_INHERIT_FAILED));
	add_u64(counters, "guard_denied", labels_stat_sum(CANISTER_STAT_GUARD_DENIED));
	add_u64(counters, "joined", labels_stat_sum(CANISTER_STAT_JOINED));
	add_u64(counters, "labelled_processes", scan_labelled(d, warnings));
	add_u64(counters, "containers", count_containers(d));
	add_u64(counters, "containers_dropped", containers_dropped_count());
	add_u64(counters, "records_written", written.written);
	add_u64(counters, "records_failed", written.failed);
	add_kernel_audit(d, doc);
	json_object_object_add(doc, "counters", counters);

	if (lost) {
		char text[128];

		snprintf(text, sizeof(text),
			 "%" PRIu64 " event records were lost (ring buffer full)", lost);
		json_object_array_add(warnings, json_object_new_string(text));
	}
	if (written.failed) {
		char text[400];

		snprintf(text, sizeof(text),
			 "%" PRIu64 " records could not be written to %s (see the daemon log)",
			 written.failed, records_path());
		json_object_array_add(warnings, json_object_new_string(text));
	}
	if (d->pending_restart[0]) {
		char text[320];

		snprintf(text, sizeof(text), "changed in the config, effective at restart: %s",
			 d->pending_restart);
		json_object_array_add(warnings, json_object_new_string(text));
	}
	json_object_object_add(doc, "warnings", warnings);
	return doc;
}
