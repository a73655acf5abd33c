// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the audit section of the status (kernel audit stream, sinks, plugins). */
#include "audit/status.h"

#include "audit/plugins.h"
#include "audit/sinks.h"
#include "audit/stream.h"

#include <stdio.h>
#include <string.h>

static void sink_status(const struct sink_info *info, struct canister_sink_status *ret)
{
	*ret = (struct canister_sink_status){
		.contid = info->config.contid,
		.format = info->config.format,
		.rules_loaded = info->rule_count,
		.backlog = info->config.backlog,
		.queued = info->queued,
		.events = info->events,
		.dropped = info->dropped,
		.lost_records = info->lost_records,
		.disk_full_lost = info->disk_full_lost,
		.write_failures = info->write_failures,
		.rotations = info->rotations,
		.rotation_failures = info->rotation_failures,
		.readers = info->readers,
		.backlog_bytes = info->config.backlog_bytes,
		.queued_bytes = info->queued_bytes,
		.dropped_queue_events = info->dropped_queue_events,
		.dropped_queue_bytes = info->dropped_queue_bytes,
		.dropped_no_memory = info->dropped_no_memory,
		.lost_at_stop = info->lost_at_stop,
		.readers_dropped = info->readers_dropped,
	};
	snprintf(ret->log, sizeof(ret->log), "%s", info->config.log);
	snprintf(ret->rules, sizeof(ret->rules), "%s", info->config.rules);
	snprintf(ret->socket, sizeof(ret->socket), "%s", info->config.socket);
}

static void plugin_status(const struct plugin_info *info, struct canister_plugin_status *ret)
{
	*ret = (struct canister_plugin_status){
		.pid = info->pid,
		.running = info->running,
		.events = info->events,
		.dropped = info->dropped,
		.restarts = info->restarts,
		.queued = info->queued,
		.queued_bytes = info->queued_bytes,
		.dropped_queue_events = info->dropped_queue_events,
		.dropped_queue_bytes = info->dropped_queue_bytes,
		.dropped_no_memory = info->dropped_no_memory,
		.dropped_exited = info->dropped_exited,
		.dropped_given_up = info->dropped_given_up,
		.lost_at_stop = info->lost_at_stop,
	};
	snprintf(ret->name, sizeof(ret->name), "%s", info->name);
}

void audit_status(struct canisterd *d, struct canister_audit_status *ret,
		  struct canister_status_warnings *warnings)
{
	struct canister_kernel_audit_status *kernel = &ret->kernel;
	struct kaudit_counters counters;
	struct kaudit_source_info source;

	memset(ret, 0, sizeof(*ret));
	kaudit_source(&source);
	kernel->source = source.how;
	snprintf(kernel->source_reason, sizeof(kernel->source_reason), "%s", source.reason);
	kernel->auditd_pid = (pid_t)source.auditd_pid;
	kernel->plugin_connected = source.feed.connected;
	kernel->plugin_records = source.feed.records;
	kernel->plugin_bad_lines = source.feed.bad_lines;
	kernel->plugin_relay_lost = source.feed.relay_lost;
	kernel->plugin_connections = source.feed.connections;
	kernel->plugin_refused = source.feed.refused;
	if (source.how == CANISTER_AUDIT_SOURCE_AUDITD && source.auditd_gone)
		canister_status_warn(
			warnings,
			"kernel audit: the audit daemon canisterd runs beside (pid %u) "
			"no longer holds the kernel's audit stream; restart canisterd "
			"to take it (kernel_audit = auto)",
			source.auditd_pid);
	else if (source.how == CANISTER_AUDIT_SOURCE_AUDITD && !source.feed.connected)
		canister_status_warn(
			warnings, "kernel audit: auditd's plugin canister-audisp is not connected: "
				  "no kernel event reaches the host log; install auditd's "
				  "plugins.d/canister.conf and reload auditd (see the README)");
	kernel->audit_daemon = kaudit_counters(&counters);
	kernel->events = counters.events;
	kernel->container_id_records = counters.attributed;
	kernel->write_failures = counters.write_failures;
	kernel->filtered_by_contid = counters.filtered;
	kernel->sink_only_events = counters.sink_only;
	kernel->netlink_overruns = counters.overruns;
	kernel->truncated_records = counters.truncated;
	kernel->refused_records = counters.refused;
	kernel->no_memory_records = counters.no_memory;
	kernel->events_cut_short = counters.forced;
	kernel->disk_full_lost = counters.disk_full_lost;
	kernel->rotations = counters.rotations;
	kernel->rotation_failures = counters.rotation_failures;
	kernel->kernel_lost = counters.kernel_lost;

	for (size_t i = 0; i < sinks_count() && ret->sink_count < CANISTER_SINKS_MAX; i++) {
		struct sink_info info;

		if (!sinks_get(i, &info))
			break;
		sink_status(&info, &ret->sinks[ret->sink_count++]);
	}
	for (size_t i = 0; i < plugins_count() && ret->plugin_count < CANISTER_STATUS_PLUGINS_MAX;
	     i++) {
		struct plugin_info info;

		plugins_get(i, &info);
		plugin_status(&info, &ret->plugins[ret->plugin_count++]);
	}
}
