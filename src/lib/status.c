// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the status struct's invariants, and its warnings list. */
#include "lib/status.h"

#include "lib/json_strict.h"
#include "lib/status_json.h"

#include <canister/abi.h>
#include <canister/canister.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The latest time ISO 8601's four-digit year can show: 9999-12-31T23:59:59Z. */
#define STATUS_STARTED_MAX 253402300799LL

void canister_status_warn(struct canister_status_warnings *warnings, const char *fmt, ...)
{
	va_list ap;

	if (warnings->count >= CANISTER_STATUS_WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(warnings->text[warnings->count], sizeof(warnings->text[0]), fmt, ap);
	va_end(ap);
	warnings->count++;
}

#define BOUNDED(field) canister_string_bounded((field), sizeof(field))

static bool feature_name_ok(const char *name)
{
	if (!canister_string_bounded(name, CANISTER_STATUS_NAME_MAX + 1) || !name[0])
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

static bool core_valid(const struct canister_core_status *core)
{
	const struct canister_daemon_status *daemon = &core->daemon;
	size_t config_len;

	if ((core->mode != CANISTER_MODE_TRACE && core->mode != CANISTER_MODE_LSM) ||
	    !BOUNDED(core->mode_reason) || !BOUNDED(core->protection) ||
	    core->feature_count > CANISTER_STATUS_FEATURES_MAX)
		return false;
	if (daemon->pid < 1 || !BOUNDED(daemon->version) || daemon->started < 0 ||
	    daemon->started > STATUS_STARTED_MAX || !BOUNDED(daemon->config) ||
	    !BOUNDED(daemon->pin_path) || !BOUNDED(daemon->control_socket) ||
	    !BOUNDED(daemon->log) || !BOUNDED(daemon->audit_log) || !BOUNDED(daemon->host_log) ||
	    !BOUNDED(daemon->audit_rules) || (unsigned)daemon->log_level > CANISTER_LOG_DEBUG ||
	    daemon->nest_limit < 1 || daemon->nest_limit > CANISTER_NEST_LIMIT_MAX ||
	    (daemon->join_policy != CANISTER_JOIN_RECORD &&
	     daemon->join_policy != CANISTER_JOIN_LABEL))
		return false;
	/* "config" says an absent file by a suffix, which a present file's path must not end in. */
	config_len = strlen(daemon->config);
	if (daemon->config_present && config_len >= strlen(CANISTER_STATUS_CONFIG_ABSENT) &&
	    strcmp(daemon->config + config_len - strlen(CANISTER_STATUS_CONFIG_ABSENT),
		   CANISTER_STATUS_CONFIG_ABSENT) == 0)
		return false;
	for (unsigned int i = 0; i < core->feature_count; i++) {
		const struct canister_feature_status *feature = &core->features[i];

		if (!feature_name_ok(feature->name) || !BOUNDED(feature->detail))
			return false;
		/* JSON object members are unique: a second one would replace the first. */
		for (unsigned int k = 0; k < i; k++)
			if (strcmp(core->features[k].name, feature->name) == 0)
				return false;
	}
	return true;
}

static bool privileged_valid(const struct canister_privileged_scan *scan)
{
	uint64_t shown = scan->privileged < CANISTER_STATUS_PRIVILEGED_SHOWN
				 ? scan->privileged
				 : CANISTER_STATUS_PRIVILEGED_SHOWN;

	if (!scan->done)
		return !scan->age_ms && !scan->duration_ms && !scan->scanned && !scan->privileged &&
		       !scan->shown_count;
	if (scan->privileged > scan->scanned || scan->shown_count != shown)
		return false;
	for (unsigned int i = 0; i < scan->shown_count; i++) {
		if (scan->shown[i].pid < 1 || scan->shown[i].contid == CANISTER_CONTID_UNSET)
			return false;
		if (i && scan->shown[i].pid <= scan->shown[i - 1].pid)
			return false;
	}
	return true;
}

static bool audit_valid(const struct canister_audit_status *audit)
{
	if (audit->sink_count > CANISTER_SINKS_MAX ||
	    audit->plugin_count > CANISTER_STATUS_PLUGINS_MAX)
		return false;
	for (unsigned int i = 0; i < audit->sink_count; i++) {
		const struct canister_sink_status *sink = &audit->sinks[i];

		if (sink->contid == CANISTER_CONTID_UNSET || !BOUNDED(sink->log) ||
		    !BOUNDED(sink->rules) || !BOUNDED(sink->socket) ||
		    (sink->format != CANISTER_LOG_FORMAT_TEXT &&
		     sink->format != CANISTER_LOG_FORMAT_JSON))
			return false;
	}
	for (unsigned int i = 0; i < audit->plugin_count; i++) {
		const struct canister_plugin_status *plugin = &audit->plugins[i];

		if (!BOUNDED(plugin->name) || plugin->pid < 0)
			return false;
	}
	return true;
}

static bool integrity_valid(const struct canister_integrity_status *integrity)
{
	if (integrity->list_count > CANISTER_STATUS_INTEGRITY_SHOWN ||
	    integrity->list_count > integrity->containers || !BOUNDED(integrity->fsuuid_detail) ||
	    !BOUNDED(integrity->mmap_detail) || !BOUNDED(integrity->backstop_detail) ||
	    !BOUNDED(integrity->coverage_detail) || !BOUNDED(integrity->reader_detail))
		return false;
	for (unsigned int i = 0; i < integrity->list_count; i++)
		if (integrity->lists[i].contid == 0 ||
		    integrity->lists[i].contid == CANISTER_CONTID_UNSET ||
		    (i && integrity->lists[i].contid <= integrity->lists[i - 1].contid))
			return false;
	return true;
}

static bool model_valid(const struct canister_model_status *model)
{
	return model->learn + model->seal + model->enforce == model->domains &&
	       BOUNDED(model->marking) && BOUNDED(model->observed_available) &&
	       BOUNDED(model->observed_unavailable) && BOUNDED(model->denied_in_kernel);
}

static bool access_valid(const struct canister_access_status *access)
{
	if (access->right_count > CANISTER_STATUS_ACCESS_RIGHTS ||
	    access->enforce + access->complain != access->containers)
		return false;
	for (unsigned int i = 0; i < access->right_count; i++)
		if (!BOUNDED(access->rights[i].right) || !access->rights[i].right[0] ||
		    !BOUNDED(access->rights[i].canisterd) || !BOUNDED(access->rights[i].run))
			return false;
	return true;
}

bool canister_status_valid(const struct canister_status *status)
{
	if (!core_valid(&status->core) || !privileged_valid(&status->identity.privileged) ||
	    !audit_valid(&status->audit) || !integrity_valid(&status->integrity) ||
	    !access_valid(&status->access) || !model_valid(&status->model) ||
	    status->warnings.count > CANISTER_STATUS_WARNINGS_MAX)
		return false;
	for (unsigned int i = 0; i < status->warnings.count; i++)
		if (!BOUNDED(status->warnings.text[i]))
			return false;
	return true;
}
