// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the status reply's JSON members, written from and read into struct canister_status. */
#include "lib/status_json.h"

#include "lib/json_strict.h"

#include <canister/abi.h>
#include <canister/canister.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * Counters are tables of (member, offset): adding one is one line here, and
 * the writer and the reader cannot disagree about its name.
 */
struct counter {
	const char *key;
	size_t offset;
};

#define IDENTITY(field)                                                  \
	{                                                                \
#field, offsetof(struct canister_identity_status, field) \
	}
static const struct counter identity_counters[] = {
	IDENTITY(events),
	IDENTITY(events_received),
	IDENTITY(lost),
	IDENTITY(inherited),
	IDENTITY(cleared),
	IDENTITY(inherit_failed),
	IDENTITY(guard_denied),
	IDENTITY(joined),
	IDENTITY(labelled_processes),
	IDENTITY(containers),
	IDENTITY(containers_dropped),
	IDENTITY(fork_refused),
	IDENTITY(labels_used),
	IDENTITY(labels_capacity),
};

#define CORE(field)                                                  \
	{                                                            \
#field, offsetof(struct canister_core_status, field) \
	}
static const struct counter core_counters[] = {
	CORE(records_written),	       CORE(records_failed),
	CORE(control_connections),     CORE(control_host_connections),
	CORE(control_accepted),	       CORE(control_refused_connections),
	CORE(control_unidentified),    CORE(control_idle_closed),
	CORE(control_throttled),       CORE(control_refusals_recorded),
	CORE(control_refusals_folded), CORE(control_summaries),
};

#define SCAN(field)                                                      \
	{                                                                \
#field, offsetof(struct canister_privileged_scan, field) \
	}
static const struct counter scan_counters[] = { SCAN(age_ms), SCAN(duration_ms), SCAN(scanned),
						SCAN(privileged) };

#define KERNEL(field)                                                        \
	{                                                                    \
#field, offsetof(struct canister_kernel_audit_status, field) \
	}
static const struct counter kernel_counters[] = {
	KERNEL(events),
	KERNEL(container_id_records),
	KERNEL(write_failures),
	KERNEL(filtered_by_contid),
	KERNEL(sink_only_events),
	KERNEL(netlink_overruns),
	KERNEL(truncated_records),
	KERNEL(refused_records),
	KERNEL(no_memory_records),
	KERNEL(events_cut_short),
	KERNEL(disk_full_lost),
	KERNEL(rotations),
	KERNEL(rotation_failures),
	KERNEL(kernel_lost),
	KERNEL(plugin_records),
	KERNEL(plugin_bad_lines),
	KERNEL(plugin_relay_lost),
	KERNEL(plugin_connections),
	KERNEL(plugin_refused),
};

#define SINK(field)                                                  \
	{                                                            \
#field, offsetof(struct canister_sink_status, field) \
	}
static const struct counter sink_counters[] = {
	SINK(rules_loaded),
	SINK(backlog),
	SINK(backlog_bytes),
	SINK(queued),
	SINK(queued_bytes),
	SINK(events),
	SINK(dropped),
	SINK(dropped_queue_events),
	SINK(dropped_queue_bytes),
	SINK(dropped_no_memory),
	SINK(lost_at_stop),
	SINK(lost_records),
	SINK(disk_full_lost),
	SINK(write_failures),
	SINK(rotations),
	SINK(rotation_failures),
	SINK(readers),
	SINK(readers_dropped),
};

#define PLUGIN(field)                                                  \
	{                                                              \
#field, offsetof(struct canister_plugin_status, field) \
	}
static const struct counter plugin_counters[] = {
	PLUGIN(events),
	PLUGIN(restarts),
	PLUGIN(queued),
	PLUGIN(queued_bytes),
	PLUGIN(dropped),
	PLUGIN(dropped_queue_events),
	PLUGIN(dropped_queue_bytes),
	PLUGIN(dropped_no_memory),
	PLUGIN(dropped_exited),
	PLUGIN(dropped_given_up),
	PLUGIN(lost_at_stop),
};

#define COUNT(table) (sizeof(table) / sizeof((table)[0]))

static uint64_t *counter_at(const void *base, const struct counter *counter)
{
	return (uint64_t *)((char *)base + counter->offset);
}

static bool add_counters(struct json_object *object, const void *base, const struct counter *table,
			 size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!canister_json_put(object, table[i].key,
				       json_object_new_uint64(*counter_at(base, &table[i]))))
			return false;
	return true;
}

static int read_counters(struct canister_json_reader *reader, struct json_object *object,
			 void *base, const struct counter *table, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (canister_json_u64(reader, object, table[i].key, counter_at(base, &table[i])) <
		    0)
			return -EPROTO;
	return 0;
}

/* Every member of @object is in one of the tables or in the NULL-terminated @names. */
static int check_members(struct canister_json_reader *reader, struct json_object *object,
			 const char *const *names, const struct counter *a, size_t a_count,
			 const struct counter *b, size_t b_count)
{
	if (!json_object_is_type(object, json_type_object))
		return canister_json_refuse(reader, NULL, "not an object");
	json_object_object_foreach(object, key, value)
	{
		bool known = false;

		(void)value;
		for (size_t i = 0; names && names[i] && !known; i++)
			known = strcmp(names[i], key) == 0;
		for (size_t i = 0; i < a_count && !known; i++)
			known = strcmp(a[i].key, key) == 0;
		for (size_t i = 0; i < b_count && !known; i++)
			known = strcmp(b[i].key, key) == 0;
		if (!known)
			return canister_json_refuse(reader, NULL, "unknown member \"%.64s\"", key);
	}
	return 0;
}

/* Names of enum values, looked up both ways. */

static const char *const mode_names[] = {
	[CANISTER_MODE_TRACE] = "trace", [CANISTER_MODE_LSM] = "lsm"
};
static const char *const level_names[] = { [CANISTER_LOG_ERROR] = "error",
					   [CANISTER_LOG_WARNING] = "warning",
					   [CANISTER_LOG_INFO] = "info",
					   [CANISTER_LOG_DEBUG] = "debug" };
static const char *const policy_names[] = {
	[CANISTER_JOIN_RECORD] = "record", [CANISTER_JOIN_LABEL] = "label"
};
static const char *const kernel_audit_names[] = {
	[CANISTER_KERNEL_AUDIT_OFF] = "off",
	[CANISTER_KERNEL_AUDIT_ON] = "on",
	[CANISTER_KERNEL_AUDIT_AUTO] = "auto",
};
static const char *const source_names[] = {
	[CANISTER_AUDIT_SOURCE_OFF] = "off",
	[CANISTER_AUDIT_SOURCE_OWN] = "own_stream",
	[CANISTER_AUDIT_SOURCE_AUDITD] = "auditd_plugin",
};
static const char *const format_names[] = {
	[CANISTER_LOG_FORMAT_TEXT] = "text", [CANISTER_LOG_FORMAT_JSON] = "json"
};

static int read_enum(struct canister_json_reader *reader, struct json_object *object,
		     const char *key, const char *const *names, size_t count, int *ret_value)
{
	char text[16];

	if (canister_json_string(reader, object, key, true, text, sizeof(text)) < 0)
		return -EPROTO;
	for (size_t i = 0; i < count; i++) {
		if (names[i] && strcmp(names[i], text) == 0) {
			*ret_value = (int)i;
			return 0;
		}
	}
	return canister_json_refuse(reader, key, "unknown value \"%s\"", text);
}

#define READ_ENUM(reader, object, key, names, ret) \
	read_enum(reader, object, key, names, COUNT(names), ret)

/* core */

static const char *const daemon_members[] = {
	"pid",	     "version",	    "started",	      "uptime_seconds",
	"config",    "pin_path",    "control_socket", "log",
	"log_level", "audit_log",   "nest_limit",     "kernel_audit",
	"host_log",  "audit_rules", "join_policy",    NULL
};

static struct json_object *started_json(int64_t started)
{
	time_t when = (time_t)started;
	char text[32];
	struct tm tm;

	if (!gmtime_r(&when, &tm) || !strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return json_object_new_string(text);
}

/* "2024-05-01T10:00:00Z" exactly as started_json() writes it, nothing else. */
static int read_started(struct canister_json_reader *reader, struct json_object *daemon,
			int64_t *ret_started)
{
	char text[32], again[32];
	struct tm tm = { 0 };
	time_t when;
	int n = 0;

	if (canister_json_string(reader, daemon, "started", true, text, sizeof(text)) < 0)
		return -EPROTO;
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    (size_t)n != strlen(text))
		return canister_json_refuse(reader, "started", "not YYYY-MM-DDTHH:MM:SSZ");
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	when = timegm(&tm);
	if (when < 0 || !gmtime_r(&when, &tm) ||
	    !strftime(again, sizeof(again), "%Y-%m-%dT%H:%M:%SZ", &tm) || strcmp(again, text) != 0)
		return canister_json_refuse(reader, "started", "not a time in 1970..9999 UTC");
	*ret_started = when;
	return 0;
}

static bool add_daemon(const struct canister_daemon_status *daemon, struct json_object *root)
{
	struct json_object *object = json_object_new_object();
	char config[sizeof(daemon->config) + sizeof(CANISTER_STATUS_CONFIG_ABSENT)];

	snprintf(config, sizeof(config), "%s%s", daemon->config,
		 daemon->config_present ? "" : CANISTER_STATUS_CONFIG_ABSENT);
	return canister_json_put(root, "daemon", object) &&
	       canister_json_put(object, "pid", json_object_new_int(daemon->pid)) &&
	       canister_json_put(object, "version", json_object_new_string(daemon->version)) &&
	       canister_json_put(object, "started", started_json(daemon->started)) &&
	       canister_json_put(object, "uptime_seconds",
				 json_object_new_uint64(daemon->uptime_seconds)) &&
	       canister_json_put(object, "config", json_object_new_string(config)) &&
	       canister_json_put(object, "pin_path", json_object_new_string(daemon->pin_path)) &&
	       canister_json_put(object, "control_socket",
				 json_object_new_string(daemon->control_socket)) &&
	       canister_json_put(object, "log", json_object_new_string(daemon->log)) &&
	       canister_json_put(object, "log_level",
				 json_object_new_string(level_names[daemon->log_level])) &&
	       canister_json_put(object, "audit_log", json_object_new_string(daemon->audit_log)) &&
	       canister_json_put(object, "nest_limit", json_object_new_int(daemon->nest_limit)) &&
	       canister_json_put(
		       object, "kernel_audit",
		       json_object_new_string(kernel_audit_names[daemon->kernel_audit])) &&
	       canister_json_put(object, "host_log", json_object_new_string(daemon->host_log)) &&
	       canister_json_put(object, "audit_rules",
				 json_object_new_string(daemon->audit_rules)) &&
	       canister_json_put(object, "join_policy",
				 json_object_new_string(policy_names[daemon->join_policy]));
}

static int read_daemon(struct canister_json_reader *reader, struct json_object *root,
		       struct canister_daemon_status *ret)
{
	char config[sizeof(ret->config) + sizeof(CANISTER_STATUS_CONFIG_ABSENT)];
	size_t absent = strlen(CANISTER_STATUS_CONFIG_ABSENT), len;
	struct json_object *daemon;
	int64_t pid, nest_limit;
	int level = 0, policy = 0, kernel_audit = 0;

	if (canister_json_object(reader, root, "daemon", &daemon) < 0)
		return -EPROTO;
	canister_json_enter(reader, "daemon");
	if (canister_json_members(reader, daemon, daemon_members) < 0 ||
	    canister_json_int(reader, daemon, "pid", 1, INT_MAX, &pid) < 0 ||
	    canister_json_string(reader, daemon, "version", true, ret->version,
				 sizeof(ret->version)) < 0 ||
	    read_started(reader, daemon, &ret->started) < 0 ||
	    canister_json_u64(reader, daemon, "uptime_seconds", &ret->uptime_seconds) < 0 ||
	    canister_json_string(reader, daemon, "config", true, config, sizeof(config)) < 0 ||
	    canister_json_string(reader, daemon, "pin_path", true, ret->pin_path,
				 sizeof(ret->pin_path)) < 0 ||
	    canister_json_string(reader, daemon, "control_socket", true, ret->control_socket,
				 sizeof(ret->control_socket)) < 0 ||
	    canister_json_string(reader, daemon, "log", true, ret->log, sizeof(ret->log)) < 0 ||
	    READ_ENUM(reader, daemon, "log_level", level_names, &level) < 0 ||
	    canister_json_string(reader, daemon, "audit_log", true, ret->audit_log,
				 sizeof(ret->audit_log)) < 0 ||
	    canister_json_int(reader, daemon, "nest_limit", 1, CANISTER_NEST_LIMIT_MAX,
			      &nest_limit) < 0 ||
	    READ_ENUM(reader, daemon, "kernel_audit", kernel_audit_names, &kernel_audit) < 0 ||
	    canister_json_string(reader, daemon, "host_log", true, ret->host_log,
				 sizeof(ret->host_log)) < 0 ||
	    canister_json_string(reader, daemon, "audit_rules", true, ret->audit_rules,
				 sizeof(ret->audit_rules)) < 0 ||
	    READ_ENUM(reader, daemon, "join_policy", policy_names, &policy) < 0)
		return -EPROTO;
	len = strlen(config);
	ret->config_present =
		len < absent || strcmp(config + len - absent, CANISTER_STATUS_CONFIG_ABSENT) != 0;
	if (!ret->config_present)
		config[len - absent] = '\0';
	if (strlen(config) >= sizeof(ret->config))
		return canister_json_refuse(reader, "config", "longer than %zu bytes",
					    sizeof(ret->config) - 1);
	strcpy(ret->config, config);
	ret->pid = (pid_t)pid;
	ret->log_level = level;
	ret->nest_limit = (unsigned int)nest_limit;
	ret->kernel_audit = kernel_audit;
	ret->join_policy = policy;
	return 0;
}

static bool add_features(const struct canister_core_status *core, struct json_object *root)
{
	struct json_object *features = json_object_new_object();
	bool ok = canister_json_put(root, "features", features);

	for (unsigned int i = 0; ok && i < core->feature_count; i++) {
		const struct canister_feature_status *feature = &core->features[i];
		struct json_object *object = json_object_new_object();

		ok = canister_json_put(features, feature->name, object) &&
		     canister_json_put(object, "available",
				       json_object_new_boolean(feature->available)) &&
		     canister_json_put(object, "detail", json_object_new_string(feature->detail));
	}
	return ok;
}

static int read_features(struct canister_json_reader *reader, struct json_object *root,
			 struct canister_core_status *ret)
{
	static const char *const feature_members[] = { "available", "detail", NULL };
	struct json_object *features;
	unsigned int count = 0;

	if (canister_json_object(reader, root, "features", &features) < 0)
		return -EPROTO;
	json_object_object_foreach(features, name, object)
	{
		struct canister_feature_status *feature = &ret->features[count];

		canister_json_enter(reader, "features");
		if (count == CANISTER_STATUS_FEATURES_MAX)
			return canister_json_refuse(reader, NULL, "more than %d",
						    CANISTER_STATUS_FEATURES_MAX);
		if (strlen(name) > CANISTER_STATUS_NAME_MAX || !name[0] ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
			return canister_json_refuse(reader, NULL, "\"%.64s\" is not a feature name",
						    name);
		strcpy(feature->name, name);
		canister_json_enter(reader, "features.%s", name);
		if (canister_json_members(reader, object, feature_members) < 0 ||
		    canister_json_bool(reader, object, "available", &feature->available) < 0 ||
		    canister_json_string(reader, object, "detail", true, feature->detail,
					 sizeof(feature->detail)) < 0)
			return -EPROTO;
		count++;
	}
	ret->feature_count = count;
	return 0;
}

/* identity */

static bool add_privileged(const struct canister_privileged_scan *scan, struct json_object *root)
{
	struct json_object *object = json_object_new_object(), *processes;
	bool ok = canister_json_put(root, "privileged_scan", object) &&
		  canister_json_put(object, "done", json_object_new_boolean(scan->done)) &&
		  add_counters(object, scan, scan_counters, COUNT(scan_counters));

	processes = json_object_new_array();
	ok = ok && canister_json_put(object, "processes", processes);
	for (unsigned int i = 0; ok && i < scan->shown_count; i++) {
		struct json_object *process = json_object_new_object();

		ok = canister_json_append(processes, process) &&
		     canister_json_put(process, "pid", json_object_new_int(scan->shown[i].pid)) &&
		     canister_json_put(process, "contid",
				       canister_json_new_contid(scan->shown[i].contid)) &&
		     canister_json_put(process, "why", json_object_new_string(scan->shown[i].why));
	}
	return ok;
}

static int read_privileged(struct canister_json_reader *reader, struct json_object *root,
			   struct canister_privileged_scan *ret)
{
	static const char *const scan_members[] = { "done", "processes", NULL };
	static const char *const process_members[] = { "pid", "contid", "why", NULL };
	struct json_object *scan, *processes;
	size_t count;

	if (canister_json_object(reader, root, "privileged_scan", &scan) < 0)
		return -EPROTO;
	canister_json_enter(reader, "privileged_scan");
	if (check_members(reader, scan, scan_members, scan_counters, COUNT(scan_counters), NULL,
			  0) < 0 ||
	    canister_json_bool(reader, scan, "done", &ret->done) < 0 ||
	    read_counters(reader, scan, ret, scan_counters, COUNT(scan_counters)) < 0 ||
	    canister_json_array(reader, scan, "processes", CANISTER_STATUS_PRIVILEGED_SHOWN,
				&processes, &count) < 0)
		return -EPROTO;
	for (size_t i = 0; i < count; i++) {
		struct json_object *process = json_object_array_get_idx(processes, i);
		int64_t pid;

		canister_json_enter(reader, "privileged_scan.processes[%zu]", i);
		if (canister_json_members(reader, process, process_members) < 0 ||
		    canister_json_int(reader, process, "pid", 1, INT_MAX, &pid) < 0 ||
		    canister_json_contid(reader, process, "contid", false, &ret->shown[i].contid) <
			    0 ||
		    canister_json_string(reader, process, "why", false, ret->shown[i].why,
					 sizeof(ret->shown[i].why)) < 0)
			return -EPROTO;
		ret->shown[i].pid = (pid_t)pid;
	}
	ret->shown_count = (unsigned int)count;
	return 0;
}

/* audit */

static struct json_object *sink_json(const struct canister_sink_status *sink)
{
	struct json_object *object = json_object_new_object();
	bool ok;

	ok = canister_json_put(object, "contid", canister_json_new_contid(sink->contid)) &&
	     canister_json_put(object, "log", json_object_new_string(sink->log)) &&
	     canister_json_put(object, "format",
			       json_object_new_string(format_names[sink->format])) &&
	     (!sink->rules[0] ||
	      canister_json_put(object, "rules", json_object_new_string(sink->rules))) &&
	     (!sink->socket[0] ||
	      canister_json_put(object, "socket", json_object_new_string(sink->socket))) &&
	     add_counters(object, sink, sink_counters, COUNT(sink_counters));
	if (!ok) {
		json_object_put(object);
		return NULL;
	}
	return object;
}

struct json_object *canister_status_sinks_json(const struct canister_audit_status *audit)
{
	struct json_object *sinks = json_object_new_array();
	bool ok = sinks != NULL;

	for (unsigned int i = 0; ok && i < audit->sink_count; i++)
		ok = canister_json_append(sinks, sink_json(&audit->sinks[i]));
	if (!ok) {
		json_object_put(sinks);
		return NULL;
	}
	return sinks;
}

static int read_sink(struct canister_json_reader *reader, struct json_object *object,
		     struct canister_sink_status *ret)
{
	static const char *const sink_members[] = { "contid", "log",	"format",
						    "rules",  "socket", NULL };
	int format = 0;

	if (check_members(reader, object, sink_members, sink_counters, COUNT(sink_counters), NULL,
			  0) < 0 ||
	    canister_json_contid(reader, object, "contid", false, &ret->contid) < 0 ||
	    canister_json_string(reader, object, "log", true, ret->log, sizeof(ret->log)) < 0 ||
	    READ_ENUM(reader, object, "format", format_names, &format) < 0 ||
	    canister_json_string(reader, object, "rules", false, ret->rules, sizeof(ret->rules)) <
		    0 ||
	    canister_json_string(reader, object, "socket", false, ret->socket,
				 sizeof(ret->socket)) < 0 ||
	    read_counters(reader, object, ret, sink_counters, COUNT(sink_counters)) < 0)
		return -EPROTO;
	ret->format = format;
	return 0;
}

static bool add_plugins(const struct canister_audit_status *audit, struct json_object *root)
{
	struct json_object *plugins = json_object_new_array();
	bool ok = canister_json_put(root, "plugins", plugins);

	for (unsigned int i = 0; ok && i < audit->plugin_count; i++) {
		const struct canister_plugin_status *plugin = &audit->plugins[i];
		struct json_object *object = json_object_new_object();

		ok = canister_json_append(plugins, object) &&
		     canister_json_put(object, "name", json_object_new_string(plugin->name)) &&
		     canister_json_put(object, "pid", json_object_new_int(plugin->pid)) &&
		     canister_json_put(object, "running",
				       json_object_new_boolean(plugin->running)) &&
		     add_counters(object, plugin, plugin_counters, COUNT(plugin_counters));
	}
	return ok;
}

static int read_plugin(struct canister_json_reader *reader, struct json_object *object,
		       struct canister_plugin_status *ret)
{
	static const char *const plugin_members[] = { "name", "pid", "running", NULL };
	int64_t pid;

	if (check_members(reader, object, plugin_members, plugin_counters, COUNT(plugin_counters),
			  NULL, 0) < 0 ||
	    canister_json_string(reader, object, "name", true, ret->name, sizeof(ret->name)) < 0 ||
	    canister_json_int(reader, object, "pid", 0, INT_MAX, &pid) < 0 ||
	    canister_json_bool(reader, object, "running", &ret->running) < 0 ||
	    read_counters(reader, object, ret, plugin_counters, COUNT(plugin_counters)) < 0)
		return -EPROTO;
	ret->pid = (pid_t)pid;
	return 0;
}

static bool add_audit(const struct canister_audit_status *audit, struct json_object *root)
{
	const struct canister_kernel_audit_status *kernel = &audit->kernel;
	struct json_object *object = json_object_new_object();

	return canister_json_put(root, "kernel_audit", object) &&
	       canister_json_put(object, "audit_daemon",
				 json_object_new_boolean(kernel->audit_daemon)) &&
	       canister_json_put(object, "source",
				 json_object_new_string(source_names[kernel->source])) &&
	       canister_json_put(object, "source_reason",
				 json_object_new_string(kernel->source_reason)) &&
	       canister_json_put(object, "auditd_pid", json_object_new_int(kernel->auditd_pid)) &&
	       canister_json_put(object, "plugin_connected",
				 json_object_new_boolean(kernel->plugin_connected)) &&
	       add_counters(object, kernel, kernel_counters, COUNT(kernel_counters)) &&
	       canister_json_put(root, "sinks", canister_status_sinks_json(audit)) &&
	       add_plugins(audit, root);
}

static int read_audit(struct canister_json_reader *reader, struct json_object *root,
		      struct canister_audit_status *ret)
{
	static const char *const kernel_members[] = { "audit_daemon",	  "source",
						      "source_reason",	  "auditd_pid",
						      "plugin_connected", NULL };
	struct json_object *kernel, *sinks, *plugins;
	size_t sink_count, plugin_count;
	int source = 0;
	int64_t auditd_pid;

	if (canister_json_object(reader, root, "kernel_audit", &kernel) < 0)
		return -EPROTO;
	canister_json_enter(reader, "kernel_audit");
	if (check_members(reader, kernel, kernel_members, kernel_counters, COUNT(kernel_counters),
			  NULL, 0) < 0 ||
	    canister_json_bool(reader, kernel, "audit_daemon", &ret->kernel.audit_daemon) < 0 ||
	    READ_ENUM(reader, kernel, "source", source_names, &source) < 0 ||
	    canister_json_string(reader, kernel, "source_reason", true, ret->kernel.source_reason,
				 sizeof(ret->kernel.source_reason)) < 0 ||
	    canister_json_int(reader, kernel, "auditd_pid", 0, INT_MAX, &auditd_pid) < 0 ||
	    canister_json_bool(reader, kernel, "plugin_connected", &ret->kernel.plugin_connected) <
		    0 ||
	    read_counters(reader, kernel, &ret->kernel, kernel_counters, COUNT(kernel_counters)) <
		    0)
		return -EPROTO;
	ret->kernel.source = source;
	ret->kernel.auditd_pid = (pid_t)auditd_pid;
	canister_json_enter(reader, "%s", "");
	if (canister_json_array(reader, root, "sinks", CANISTER_SINKS_MAX, &sinks, &sink_count) <
		    0 ||
	    canister_json_array(reader, root, "plugins", CANISTER_STATUS_PLUGINS_MAX, &plugins,
				&plugin_count) < 0)
		return -EPROTO;
	for (size_t i = 0; i < sink_count; i++) {
		canister_json_enter(reader, "sinks[%zu]", i);
		if (read_sink(reader, json_object_array_get_idx(sinks, i), &ret->sinks[i]) < 0)
			return -EPROTO;
	}
	for (size_t i = 0; i < plugin_count; i++) {
		canister_json_enter(reader, "plugins[%zu]", i);
		if (read_plugin(reader, json_object_array_get_idx(plugins, i), &ret->plugins[i]) <
		    0)
			return -EPROTO;
	}
	ret->sink_count = (unsigned int)sink_count;
	ret->plugin_count = (unsigned int)plugin_count;
	return 0;
}

/* integrity */

#define INTEGRITY(field)                                                  \
	{                                                                 \
#field, offsetof(struct canister_integrity_status, field) \
	}
static const struct counter integrity_counters[] = {
	INTEGRITY(deadline_ms),
	INTEGRITY(events),
	INTEGRITY(own),
	INTEGRITY(host),
	INTEGRITY(judged),
	INTEGRITY(denied),
	INTEGRITY(busy),
	INTEGRITY(late),
	INTEGRITY(stuck),
	INTEGRITY(marks),
	INTEGRITY(exempt_mounts),
	INTEGRITY(exempt_removed),
	INTEGRITY(exempt_withdrawn),
	INTEGRITY(write_fail),
	INTEGRITY(entries),
	INTEGRITY(hashed),
	INTEGRITY(cache_hits),
	INTEGRITY(errors),
	INTEGRITY(containers),
	INTEGRITY(listed),
	INTEGRITY(opens),
	INTEGRITY(violations),
	INTEGRITY(mmap_reported),
	INTEGRITY(mmap_dropped),
	INTEGRITY(mmap_kernel_digests),
	INTEGRITY(mmap_rehashed),
	INTEGRITY(mmap_unmeasured),
	INTEGRITY(mmap_unlisted),
	INTEGRITY(fast),
	INTEGRITY(appraise_off),
	INTEGRITY(appraise_log),
	INTEGRITY(appraise_enforce),
	INTEGRITY(appraise_host_keys),
	INTEGRITY(appraise_keys_refused),
	INTEGRITY(host_keys),
	INTEGRITY(appraised),
	INTEGRITY(appraise_opens),
	INTEGRITY(appraise_writers),
	INTEGRITY(appraise_denied),
	INTEGRITY(appraise_logged),
	INTEGRITY(appraise_verified),
	INTEGRITY(appraise_cache_hits),
	INTEGRITY(appraise_unreadable),
	INTEGRITY(backstop_denied),
	INTEGRITY(backstop_logged),
	INTEGRITY(backstop_lost),
	INTEGRITY(backstop_verdicts),
	INTEGRITY(records_lost),
	INTEGRITY(records_suppressed),
};

static bool add_integrity(const struct canister_integrity_status *integrity,
			  struct json_object *root)
{
	struct json_object *object = json_object_new_object(), *lists = NULL;
	bool ok = canister_json_put(root, "integrity", object) &&
		  canister_json_put(object, "on", json_object_new_boolean(integrity->on)) &&
		  canister_json_put(
			  object, "fail",
			  json_object_new_string(integrity->fail_closed ? "closed" : "open")) &&
		  canister_json_put(object, "file_check",
				    json_object_new_boolean(integrity->file_check)) &&
		  canister_json_put(object, "violation_checks",
				    json_object_new_string(integrity->violation_checks)) &&
		  canister_json_put(object, "appraise_default",
				    json_object_new_string(integrity->appraise_default)) &&
		  add_counters(object, integrity, integrity_counters, COUNT(integrity_counters)) &&
		  canister_json_put(object, "fsuuid", json_object_new_boolean(integrity->fsuuid)) &&
		  canister_json_put(object, "fsuuid_detail",
				    json_object_new_string(integrity->fsuuid_detail)) &&
		  canister_json_put(object, "mmap", json_object_new_boolean(integrity->mmap)) &&
		  canister_json_put(object, "mmap_detail",
				    json_object_new_string(integrity->mmap_detail)) &&
		  canister_json_put(object, "coverage_exempt",
				    json_object_new_boolean(integrity->coverage_exempt)) &&
		  canister_json_put(object, "coverage_detail",
				    json_object_new_string(integrity->coverage_detail)) &&
		  canister_json_put(object, "reader_detail",
				    json_object_new_string(integrity->reader_detail)) &&
		  canister_json_put(object, "backstop",
				    json_object_new_boolean(integrity->backstop)) &&
		  canister_json_put(object, "backstop_detail",
				    json_object_new_string(integrity->backstop_detail)) &&
		  canister_json_put(object, "lists", lists = json_object_new_array());

	for (unsigned int i = 0; ok && i < integrity->list_count; i++) {
		const struct canister_integrity_list_status *list = &integrity->lists[i];
		struct json_object *entry = json_object_new_object();

		ok = canister_json_append(lists, entry) &&
		     canister_json_put(entry, "contid", canister_json_new_contid(list->contid)) &&
		     canister_json_put(entry, "entries", json_object_new_uint64(list->entries)) &&
		     canister_json_put(entry, "own_policy",
				       json_object_new_boolean(list->own_policy));
	}
	return ok;
}

static int read_integrity(struct canister_json_reader *reader, struct json_object *root,
			  struct canister_integrity_status *ret)
{
	static const char *const members[] = { "on",
					       "fail",
					       "lists",
					       "file_check",
					       "violation_checks",
					       "appraise_default",
					       "fsuuid",
					       "fsuuid_detail",
					       "mmap",
					       "mmap_detail",
					       "coverage_exempt",
					       "coverage_detail",
					       "reader_detail",
					       "backstop",
					       "backstop_detail",
					       NULL };
	static const char *const list_members[] = { "contid", "entries", "own_policy", NULL };
	static const char *const fail_names[] = { "open", "closed" };
	struct json_object *object, *lists;
	size_t count;
	int fail = 0;

	if (canister_json_object(reader, root, "integrity", &object) < 0)
		return -EPROTO;
	canister_json_enter(reader, "integrity");
	if (check_members(reader, object, members, integrity_counters, COUNT(integrity_counters),
			  NULL, 0) < 0 ||
	    canister_json_bool(reader, object, "on", &ret->on) < 0 ||
	    canister_json_bool(reader, object, "file_check", &ret->file_check) < 0 ||
	    canister_json_string(reader, object, "violation_checks", true, ret->violation_checks,
				 sizeof(ret->violation_checks)) < 0 ||
	    canister_json_string(reader, object, "appraise_default", true, ret->appraise_default,
				 sizeof(ret->appraise_default)) < 0 ||
	    READ_ENUM(reader, object, "fail", fail_names, &fail) < 0 ||
	    read_counters(reader, object, ret, integrity_counters, COUNT(integrity_counters)) < 0 ||
	    canister_json_bool(reader, object, "fsuuid", &ret->fsuuid) < 0 ||
	    canister_json_string(reader, object, "fsuuid_detail", true, ret->fsuuid_detail,
				 sizeof(ret->fsuuid_detail)) < 0 ||
	    canister_json_bool(reader, object, "mmap", &ret->mmap) < 0 ||
	    canister_json_string(reader, object, "mmap_detail", true, ret->mmap_detail,
				 sizeof(ret->mmap_detail)) < 0 ||
	    canister_json_bool(reader, object, "coverage_exempt", &ret->coverage_exempt) < 0 ||
	    canister_json_string(reader, object, "coverage_detail", true, ret->coverage_detail,
				 sizeof(ret->coverage_detail)) < 0 ||
	    canister_json_string(reader, object, "reader_detail", false, ret->reader_detail,
				 sizeof(ret->reader_detail)) < 0 ||
	    canister_json_bool(reader, object, "backstop", &ret->backstop) < 0 ||
	    canister_json_string(reader, object, "backstop_detail", true, ret->backstop_detail,
				 sizeof(ret->backstop_detail)) < 0 ||
	    canister_json_array(reader, object, "lists", CANISTER_STATUS_INTEGRITY_SHOWN, &lists,
				&count) < 0)
		return -EPROTO;
	ret->fail_closed = fail == 1;
	for (size_t i = 0; i < count; i++) {
		struct json_object *entry = json_object_array_get_idx(lists, i);

		canister_json_enter(reader, "integrity.lists[%zu]", i);
		if (check_members(reader, entry, list_members, NULL, 0, NULL, 0) < 0 ||
		    canister_json_contid(reader, entry, "contid", false, &ret->lists[i].contid) <
			    0 ||
		    canister_json_u64(reader, entry, "entries", &ret->lists[i].entries) < 0 ||
		    canister_json_bool(reader, entry, "own_policy", &ret->lists[i].own_policy) < 0)
			return -EPROTO;
	}
	ret->list_count = (unsigned int)count;
	canister_json_enter(reader, "%s", "");
	return 0;
}

/* access */

#define ACCESS(field)                                                  \
	{                                                              \
#field, offsetof(struct canister_access_status, field) \
	}
static const struct counter access_counters[] = {
	ACCESS(containers),   ACCESS(enforce),	  ACCESS(complain),   ACCESS(refused),
	ACCESS(landlock_abi), ACCESS(denied),	  ACCESS(complained), ACCESS(written),
	ACCESS(repeated),     ACCESS(suppressed), ACCESS(lost),
};

static bool add_access(const struct canister_access_status *access, struct json_object *root)
{
	struct json_object *object = json_object_new_object(), *rights = NULL;
	bool ok = canister_json_put(root, "access", object) &&
		  canister_json_put(object, "on", json_object_new_boolean(access->on)) &&
		  add_counters(object, access, access_counters, COUNT(access_counters)) &&
		  canister_json_put(object, "default_policy",
				    json_object_new_string(access->default_policy)) &&
		  canister_json_put(object, "default_mode",
				    json_object_new_string(
					    canister_access_mode_name(access->default_mode))) &&
		  canister_json_put(object, "rights", rights = json_object_new_array());

	for (unsigned int i = 0; ok && i < access->right_count; i++) {
		const struct canister_access_right_status *right = &access->rights[i];
		struct json_object *entry = json_object_new_object();

		ok = canister_json_append(rights, entry) &&
		     canister_json_put(entry, "right", json_object_new_string(right->right)) &&
		     canister_json_put(entry, "canisterd",
				       json_object_new_string(right->canisterd)) &&
		     canister_json_put(entry, "canister_run", json_object_new_string(right->run));
	}
	return ok;
}

static int read_access(struct canister_json_reader *reader, struct json_object *root,
		       struct canister_access_status *ret)
{
	static const char *const members[] = { "on", "rights", "default_policy", "default_mode",
					       NULL };
	static const char *const right_members[] = { "right", "canisterd", "canister_run", NULL };
	struct json_object *object, *rights;
	char mode[16];
	size_t count;

	if (canister_json_object(reader, root, "access", &object) < 0)
		return -EPROTO;
	canister_json_enter(reader, "access");
	if (check_members(reader, object, members, access_counters, COUNT(access_counters), NULL,
			  0) < 0 ||
	    canister_json_bool(reader, object, "on", &ret->on) < 0 ||
	    read_counters(reader, object, ret, access_counters, COUNT(access_counters)) < 0 ||
	    canister_json_string(reader, object, "default_policy", true, ret->default_policy,
				 sizeof(ret->default_policy)) < 0 ||
	    canister_json_string(reader, object, "default_mode", true, mode, sizeof(mode)) < 0 ||
	    canister_access_mode_parse(mode, &ret->default_mode) < 0 ||
	    canister_json_array(reader, object, "rights", CANISTER_STATUS_ACCESS_RIGHTS, &rights,
				&count) < 0)
		return -EPROTO;
	for (size_t i = 0; i < count; i++) {
		struct json_object *entry = json_object_array_get_idx(rights, i);
		struct canister_access_right_status *right = &ret->rights[i];

		canister_json_enter(reader, "access.rights[%zu]", i);
		if (check_members(reader, entry, right_members, NULL, 0, NULL, 0) < 0 ||
		    canister_json_string(reader, entry, "right", true, right->right,
					 sizeof(right->right)) < 0 ||
		    canister_json_string(reader, entry, "canisterd", true, right->canisterd,
					 sizeof(right->canisterd)) < 0 ||
		    canister_json_string(reader, entry, "canister_run", true, right->run,
					 sizeof(right->run)) < 0)
			return -EPROTO;
	}
	ret->right_count = (unsigned int)count;
	canister_json_enter(reader, "%s", "");
	return 0;
}

/* model */

#define MODEL(field)                                                  \
	{                                                             \
#field, offsetof(struct canister_model_status, field) \
	}
static const struct counter model_counters[] = {
	MODEL(domains),
	MODEL(learn),
	MODEL(seal),
	MODEL(enforce),
	MODEL(refused),
	MODEL(events),
	MODEL(forensic),
	MODEL(denied),
	MODEL(unlearned),
	MODEL(untrusted),
	MODEL(untrusted_refused),
	MODEL(written),
	MODEL(repeated),
	MODEL(suppressed),
	MODEL(lost),
	MODEL(late_denied),
	MODEL(observed_wanted),
	MODEL(observed_emitted),
	MODEL(observed_over_budget),
	MODEL(observed_ring_full),
	MODEL(observed_stash_full),
	MODEL(observed_origins_full),
	MODEL(observed_decoded),
	MODEL(observed_malformed),
	MODEL(observed_fed),
	MODEL(observed_unresolved),
	MODEL(observed_task_id_misses),
	MODEL(task_ids_held),
	MODEL(task_ids_forgotten),
	MODEL(task_ids_forgetting),
	MODEL(task_ids_refused),
	MODEL(kernel_enforced),
	MODEL(kernel_mismatched),
};

static bool add_model(const struct canister_model_status *model, struct json_object *root)
{
	struct json_object *object = json_object_new_object();

	return canister_json_put(root, "model", object) &&
	       canister_json_put(object, "on", json_object_new_boolean(model->on)) &&
	       add_counters(object, model, model_counters, COUNT(model_counters)) &&
	       canister_json_put(object, "marking", json_object_new_string(model->marking)) &&
	       canister_json_put(object, "observed", json_object_new_boolean(model->observed)) &&
	       canister_json_put(object, "observed_available",
				 json_object_new_string(model->observed_available)) &&
	       canister_json_put(object, "observed_unavailable",
				 json_object_new_string(model->observed_unavailable)) &&
	       canister_json_put(object, "denied_in_kernel",
				 json_object_new_string(model->denied_in_kernel));
}

static int read_model(struct canister_json_reader *reader, struct json_object *root,
		      struct canister_model_status *ret)
{
	static const char *const members[] = {
		"on",
		"marking",
		"observed",
		"observed_available",
		"observed_unavailable",
		"denied_in_kernel",
		NULL,
	};
	struct json_object *object;

	if (canister_json_object(reader, root, "model", &object) < 0)
		return -EPROTO;
	canister_json_enter(reader, "model");
	if (check_members(reader, object, members, model_counters, COUNT(model_counters), NULL, 0) <
		    0 ||
	    canister_json_bool(reader, object, "on", &ret->on) < 0 ||
	    read_counters(reader, object, ret, model_counters, COUNT(model_counters)) < 0 ||
	    canister_json_string(reader, object, "marking", true, ret->marking,
				 sizeof(ret->marking)) < 0 ||
	    canister_json_bool(reader, object, "observed", &ret->observed) < 0 ||
	    canister_json_string(reader, object, "observed_available", true,
				 ret->observed_available, sizeof(ret->observed_available)) < 0 ||
	    canister_json_string(reader, object, "observed_unavailable", true,
				 ret->observed_unavailable,
				 sizeof(ret->observed_unavailable)) < 0 ||
	    canister_json_string(reader, object, "denied_in_kernel", true, ret->denied_in_kernel,
				 sizeof(ret->denied_in_kernel)) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	return 0;
}

/* The whole status */

static const char *const status_members[] = {
	"ok",		"mode",	      "mode_reason", "daemon",
	"features",	"protection", "counters",    "privileged_scan",
	"kernel_audit", "sinks",      "plugins",     "integrity",
	"access",	"model",      "warnings",    NULL
};

bool canister_status_add_json(const struct canister_status *status, struct json_object *root)
{
	const struct canister_core_status *core = &status->core;
	struct json_object *counters = json_object_new_object(), *warnings;
	bool ok;

	ok = canister_json_put(root, "mode", json_object_new_string(mode_names[core->mode])) &&
	     canister_json_put(root, "mode_reason", json_object_new_string(core->mode_reason)) &&
	     add_daemon(&core->daemon, root) && add_features(core, root) &&
	     canister_json_put(root, "protection", json_object_new_string(core->protection)) &&
	     canister_json_put(root, "counters", counters) &&
	     add_counters(counters, &status->identity, identity_counters,
			  COUNT(identity_counters)) &&
	     add_counters(counters, core, core_counters, COUNT(core_counters)) &&
	     add_privileged(&status->identity.privileged, root) &&
	     add_audit(&status->audit, root) && add_integrity(&status->integrity, root) &&
	     add_access(&status->access, root) && add_model(&status->model, root);
	warnings = json_object_new_array();
	ok = ok && canister_json_put(root, "warnings", warnings);
	for (unsigned int i = 0; ok && i < status->warnings.count; i++)
		ok = canister_json_append(warnings,
					  json_object_new_string(status->warnings.text[i]));
	return ok;
}

int canister_status_read_json(struct canister_json_reader *reader, struct json_object *root,
			      struct canister_status *ret)
{
	struct canister_core_status *core = &ret->core;
	struct json_object *counters, *warnings;
	size_t count;
	int mode = 0;

	if (canister_json_members(reader, root, status_members) < 0 ||
	    READ_ENUM(reader, root, "mode", mode_names, &mode) < 0 ||
	    canister_json_string(reader, root, "mode_reason", true, core->mode_reason,
				 sizeof(core->mode_reason)) < 0 ||
	    canister_json_string(reader, root, "protection", true, core->protection,
				 sizeof(core->protection)) < 0 ||
	    canister_json_object(reader, root, "counters", &counters) < 0 ||
	    canister_json_array(reader, root, "warnings", CANISTER_STATUS_WARNINGS_MAX, &warnings,
				&count) < 0)
		return -EPROTO;
	core->mode = mode;
	for (size_t i = 0; i < count; i++)
		if (canister_json_string_value(reader, json_object_array_get_idx(warnings, i),
					       "warnings", ret->warnings.text[i],
					       sizeof(ret->warnings.text[i])) < 0)
			return -EPROTO;
	ret->warnings.count = (unsigned int)count;

	canister_json_enter(reader, "counters");
	if (check_members(reader, counters, NULL, identity_counters, COUNT(identity_counters),
			  core_counters, COUNT(core_counters)) < 0 ||
	    read_counters(reader, counters, &ret->identity, identity_counters,
			  COUNT(identity_counters)) < 0 ||
	    read_counters(reader, counters, core, core_counters, COUNT(core_counters)) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	if (read_daemon(reader, root, &core->daemon) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	if (read_features(reader, root, core) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	if (read_privileged(reader, root, &ret->identity.privileged) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	if (read_audit(reader, root, &ret->audit) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	if (read_integrity(reader, root, &ret->integrity) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	if (read_access(reader, root, &ret->access) < 0)
		return -EPROTO;
	canister_json_enter(reader, "%s", "");
	return read_model(reader, root, &ret->model);
}
