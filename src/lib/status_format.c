// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the human-readable form of canisterd's status document. */
#include "lib/status_format.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

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

static const char *get_string(struct json_object *object, const char *key)
{
	struct json_object *value;

	if (!json_object_object_get_ex(object, key, &value))
		return "?";
	return json_object_get_string(value);
}

static long long get_int(struct json_object *object, const char *key)
{
	struct json_object *value;

	if (!json_object_object_get_ex(object, key, &value))
		return -1;
	return json_object_get_int64(value);
}

int canister_status_print(const char *json, FILE *out)
{
	struct json_object *root, *daemon, *features, *counters, *warnings;
	char uptime[64], pid[24];
	long long value;

	root = json_tokener_parse(json);
	if (!root || !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "daemon", &daemon) ||
	    !json_object_object_get_ex(root, "features", &features) ||
	    !json_object_object_get_ex(root, "counters", &counters) ||
	    !json_object_is_type(daemon, json_type_object) ||
	    !json_object_is_type(features, json_type_object) ||
	    !json_object_is_type(counters, json_type_object)) {
		json_object_put(root);
		return -EPROTO;
	}

	fprintf(out, "mode: %s\n", get_string(root, "mode"));
	fprintf(out, "  why: %s\n", get_string(root, "mode_reason"));
	/* A missing member reads as -1, which must not print as pid -1 or as 584 billion years. */
	value = get_int(daemon, "uptime_seconds");
	if (value < 0)
		snprintf(uptime, sizeof(uptime), "?");
	else
		canister_format_duration(value, uptime, sizeof(uptime));
	value = get_int(daemon, "pid");
	if (value < 0)
		snprintf(pid, sizeof(pid), "?");
	else
		snprintf(pid, sizeof(pid), "%lld", value);
	fprintf(out, "daemon: pid %s, up %s (since %s)\n", pid, uptime,
		get_string(daemon, "started"));
	fprintf(out, "  config: %s\n", get_string(daemon, "config"));
	fprintf(out, "  pin path: %s\n", get_string(daemon, "pin_path"));
	fprintf(out, "  control socket: %s\n", get_string(daemon, "control_socket"));
	fprintf(out, "  log: %s\n", get_string(daemon, "log"));

	fprintf(out, "features:\n");
	json_object_object_foreach(features, name, feature)
	{
		struct json_object *available;
		const char *state = "?";

		if (json_object_object_get_ex(feature, "available", &available))
			state = json_object_get_boolean(available) ? "available" : "unavailable";
		fprintf(out, "  %-14s %-12s %s\n", name, state, get_string(feature, "detail"));
	}

	fprintf(out, "protection: %s\n", get_string(root, "protection"));
	fprintf(out, "counters:\n");
	json_object_object_foreach(counters, counter, count)
		fprintf(out, "  %-18s %s\n", counter, json_object_get_string(count));

	if (json_object_object_get_ex(root, "warnings", &warnings) &&
	    json_object_is_type(warnings, json_type_array)) {
		size_t n = json_object_array_length(warnings);

		for (size_t i = 0; i < n; i++)
			fprintf(out, "warning: %s\n",
				json_object_get_string(json_object_array_get_idx(warnings, i)));
	}
	json_object_put(root);
	return 0;
}
