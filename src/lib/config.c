// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: canisterd's configuration file, `key = value` lines. */
#include "lib/config.h"

#include "lib/contid.h"
#include "lib/kv_lines.h"
#include "lib/trusted_file.h"

#include <canister/abi.h>
#include <canister/canister.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Spelled out for the message; checked against the header below. */
#define NEST_LIMIT_MAX_TEXT "20"
_Static_assert(CANISTER_NEST_LIMIT_MAX == 20, "update NEST_LIMIT_MAX_TEXT");
#define LABELS_MAX_MIN_TEXT "16"
#define LABELS_MAX_MAX_TEXT "4194304"
_Static_assert(CANISTER_LABELS_MAX_MIN == 16 && CANISTER_LABELS_MAX_MAX == 4194304,
	       "update LABELS_MAX_*_TEXT");
#define MAX_LOG_FILE_MAX_TEXT "4096"
_Static_assert(CANISTER_MAX_LOG_FILE_MIB_MAX == 4096, "update MAX_LOG_FILE_MAX_TEXT");
#define NUM_LOGS_RANGE_TEXT "2 to 99"
_Static_assert(CANISTER_AUDIT_NUM_LOGS_MIN == 2 && CANISTER_AUDIT_NUM_LOGS_MAX == 99,
	       "update NUM_LOGS_RANGE_TEXT");
#define FREQ_MAX_TEXT "10000"
_Static_assert(CANISTER_FREQ_MAX == 10000, "update FREQ_MAX_TEXT");
#define SINK_BACKLOG_MAX_TEXT "1000000"
_Static_assert(CANISTER_SINK_BACKLOG_MAX == 1000000, "update SINK_BACKLOG_MAX_TEXT");
#define SINK_BACKLOG_BYTES_RANGE_TEXT "65536 to 1073741824"
_Static_assert(CANISTER_SINK_BACKLOG_BYTES_MIN == 65536 &&
		       CANISTER_SINK_BACKLOG_BYTES_MAX == 1073741824,
	       "update SINK_BACKLOG_BYTES_RANGE_TEXT");
#define SINKS_MAX_TEXT "64"
_Static_assert(CANISTER_SINKS_MAX == 64, "update SINKS_MAX_TEXT");

static const char *const mode_names[] = {
	[CANISTER_MODE_AUTO] = "auto",
	[CANISTER_MODE_TRACE] = "trace",
	[CANISTER_MODE_LSM] = "lsm",
};

static const char *const log_level_names[] = {
	[CANISTER_LOG_ERROR] = "error",
	[CANISTER_LOG_WARNING] = "warning",
	[CANISTER_LOG_INFO] = "info",
	[CANISTER_LOG_DEBUG] = "debug",
};

static const char *const flush_names[] = {
	[CANISTER_AUDIT_FLUSH_NONE] = "none",
	[CANISTER_AUDIT_FLUSH_INCREMENTAL] = "incremental",
	[CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC] = "incremental_async",
	[CANISTER_AUDIT_FLUSH_DATA] = "data",
	[CANISTER_AUDIT_FLUSH_SYNC] = "sync",
};

static const char *const canister_kernel_audit_names[] = {
	[CANISTER_KERNEL_AUDIT_OFF] = "off",
	[CANISTER_KERNEL_AUDIT_ON] = "on",
	[CANISTER_KERNEL_AUDIT_AUTO] = "auto",
};

static const char *const log_format_names[] = {
	[CANISTER_LOG_FORMAT_TEXT] = "text",
	[CANISTER_LOG_FORMAT_JSON] = "json",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *canister_mode_name(enum canister_mode mode)
{
	return (unsigned)mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : "?";
}

const char *canister_log_level_name(enum canister_log_level level)
{
	return (unsigned)level < ARRAY_SIZE(log_level_names) ? log_level_names[level] : "?";
}

const char *canister_kernel_audit_name(enum canister_kernel_audit how)
{
	return (unsigned)how < ARRAY_SIZE(canister_kernel_audit_names)
		       ? canister_kernel_audit_names[how]
		       : "?";
}

const char *canister_audit_flush_name(enum canister_audit_flush flush)
{
	return (unsigned)flush < ARRAY_SIZE(flush_names) ? flush_names[flush] : "?";
}

void canister_config_defaults(struct canister_config *ret_config)
{
	memset(ret_config, 0, sizeof(*ret_config));
	strcpy(ret_config->pin_path, CANISTER_DEFAULT_PIN_PATH);
	strcpy(ret_config->control_socket, CANISTER_DEFAULT_SOCKET);
	strcpy(ret_config->log_file, CANISTER_DEFAULT_LOG_FILE);
	ret_config->log_max_bytes = CANISTER_DEFAULT_LOG_MAX_BYTES;
	ret_config->log_num_logs = CANISTER_DEFAULT_NUM_LOGS;
	ret_config->mode = CANISTER_MODE_AUTO;
	ret_config->log_level = CANISTER_LOG_INFO;
	strcpy(ret_config->audit_log, CANISTER_DEFAULT_AUDIT_LOG);
	ret_config->nest_limit = CANISTER_NEST_LIMIT_DEFAULT;
	ret_config->join_policy = CANISTER_JOIN_LABEL;
	ret_config->kernel_audit = CANISTER_KERNEL_AUDIT_AUTO;
	strcpy(ret_config->auditd_plugin_socket, CANISTER_DEFAULT_AUDITD_PLUGIN_SOCKET);
	strcpy(ret_config->host_log, CANISTER_DEFAULT_HOST_LOG);
	ret_config->log_policy = (struct canister_log_policy_config){
		.max_log_file_mib = CANISTER_DEFAULT_MAX_LOG_FILE_MIB,
		.num_logs = CANISTER_DEFAULT_NUM_LOGS,
		.flush = CANISTER_DEFAULT_FLUSH,
		.freq = CANISTER_DEFAULT_FREQ,
	};
	ret_config->host_log_format = CANISTER_LOG_FORMAT_TEXT;
	ret_config->control = CANISTER_DEFAULT_CONTROL_CONFIG;
	strcpy(ret_config->integrity_dir, CANISTER_DEFAULT_INTEGRITY_DIR);
	strcpy(ret_config->access_dir, CANISTER_DEFAULT_ACCESS_DIR);
	ret_config->access_policy_mode = CANISTER_ACCESS_ENFORCE;
	strcpy(ret_config->model_dir, CANISTER_DEFAULT_MODEL_DIR);
	ret_config->model_ended_grace = CANISTER_DEFAULT_MODEL_ENDED_GRACE;
	ret_config->model_ended_kept = CANISTER_DEFAULT_MODEL_ENDED_KEPT;
	ret_config->integrity_deadline_ms = CANISTER_DEFAULT_INTEGRITY_DEADLINE_MS;
	ret_config->integrity_ended_kept = CANISTER_DEFAULT_INTEGRITY_ENDED_KEPT;
}

static int parse_enum(const char *value, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(value, names[i]) == 0)
			return (int)i;
	return -1;
}

/* auditd.conf writes its values in upper case (flush = INCREMENTAL_ASYNC): both are taken. */
static int parse_enum_any_case(const char *value, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcasecmp(value, names[i]) == 0)
			return (int)i;
	return -1;
}

/* A whole number from @min to @max, with the same strict decimal reader as contids. */
static bool parse_number(const char *value, unsigned int min, unsigned int max,
			 unsigned int *ret_number)
{
	uint64_t number;

	if (canister_parse_contid(value, &number) < 0 || number < min || number > max)
		return false;
	*ret_number = (unsigned int)number;
	return true;
}

/* Paths are absolute, free of "." and ".." components and of trailing slashes. */
static const char *check_path(const char *value, size_t max)
{
	if (value[0] != '/')
		return "must be an absolute path";
	if (strlen(value) >= max)
		return "path is too long";
	if (strcmp(value, "/") == 0 || value[strlen(value) - 1] == '/')
		return "must name a file or directory below /, without a trailing '/'";
	for (const char *p = value; *p; p++) {
		if (p[0] == '/' && p[1] == '/')
			return "must not contain '//'";
		if (p[0] == '/' && p[1] == '.' &&
		    (p[2] == '/' || p[2] == '\0' || (p[2] == '.' && (p[3] == '/' || p[3] == '\0'))))
			return "must not contain '.' or '..' components";
	}
	return NULL;
}

struct config_key {
	const char *name;
	/* Returns NULL on success, else why the value is refused. */
	const char *(*apply)(struct canister_config *config, const char *value);
};

static const char *apply_pin_path(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->pin_path));

	if (!why)
		strcpy(config->pin_path, value);
	return why;
}

static const char *apply_control_socket(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->control_socket));

	if (!why)
		strcpy(config->control_socket, value);
	return why;
}

static const char *apply_log_file(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->log_file));

	if (!why)
		strcpy(config->log_file, value);
	return why;
}

static const char *apply_mode(struct canister_config *config, const char *value)
{
	int mode = parse_enum(value, mode_names, ARRAY_SIZE(mode_names));

	if (mode < 0)
		return "must be one of auto, trace, lsm";
	config->mode = mode;
	return NULL;
}

static const char *apply_log_level(struct canister_config *config, const char *value)
{
	int level = parse_enum(value, log_level_names, ARRAY_SIZE(log_level_names));

	if (level < 0)
		return "must be one of error, warning, info, debug";
	config->log_level = level;
	return NULL;
}

static const char *apply_audit_log(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->audit_log));

	if (!why)
		strcpy(config->audit_log, value);
	return why;
}

static const char *apply_nest_limit(struct canister_config *config, const char *value)
{
	uint64_t limit;

	/* The same strict decimal reader as contids: no sign, no base, no spaces. */
	if (canister_parse_contid(value, &limit) < 0 || limit < 1 ||
	    limit > CANISTER_NEST_LIMIT_MAX)
		return "must be a whole number from 1 to " NEST_LIMIT_MAX_TEXT;
	config->nest_limit = (unsigned int)limit;
	return NULL;
}

/*
 * Thread-group ids are below pid_max, which the kernel caps at PID_MAX_LIMIT
 * (4194304 on 64-bit): a larger map could never be filled.  The floor keeps
 * a typo from starving every container, yet lets a test fill the map.
 */
static const char *apply_labels_max(struct canister_config *config, const char *value)
{
	uint64_t entries;

	if (strcmp(value, "auto") == 0) {
		config->labels_max = 0;
		return NULL;
	}
	if (canister_parse_contid(value, &entries) < 0 || entries < CANISTER_LABELS_MAX_MIN ||
	    entries > CANISTER_LABELS_MAX_MAX)
		return "must be auto (the host's kernel.pid_max) or a whole number "
		       "from " LABELS_MAX_MIN_TEXT " to " LABELS_MAX_MAX_TEXT;
	config->labels_max = (unsigned int)entries;
	return NULL;
}

static const char *const join_policy_names[] = {
	[CANISTER_JOIN_RECORD] = "record",
	[CANISTER_JOIN_LABEL] = "label",
};

const char *canister_join_policy_name(int policy)
{
	return (unsigned)policy < ARRAY_SIZE(join_policy_names) ? join_policy_names[policy] : "?";
}

static const char *apply_join_policy(struct canister_config *config, const char *value)
{
	int policy = parse_enum(value, join_policy_names, ARRAY_SIZE(join_policy_names));

	if (policy < 0)
		return "must be one of label, record";
	config->join_policy = policy;
	return NULL;
}

/* A switch: @on_word sets *@ret true, @off_word false. */
static const char *apply_switch(const char *value, const char *on_word, const char *off_word,
				const char *why, bool *ret)
{
	if (strcmp(value, on_word) == 0)
		*ret = true;
	else if (strcmp(value, off_word) == 0)
		*ret = false;
	else
		return why;
	return NULL;
}

static const char *apply_kernel_audit(struct canister_config *config, const char *value)
{
	int how = parse_enum(value, canister_kernel_audit_names,
			     ARRAY_SIZE(canister_kernel_audit_names));

	if (how < 0)
		return "must be auto, on or off";
	config->kernel_audit = how;
	return NULL;
}

static const char *apply_auditd_plugin_socket(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->auditd_plugin_socket));

	if (!why)
		strcpy(config->auditd_plugin_socket, value);
	return why;
}

static const char *apply_host_log(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->host_log));

	if (!why)
		strcpy(config->host_log, value);
	return why;
}

static const char *apply_audit_rules(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->audit_rules));

	if (!why)
		strcpy(config->audit_rules, value);
	return why;
}

static const char *apply_integrity(struct canister_config *config, const char *value)
{
	return apply_switch(value, "on", "off", "must be on or off", &config->integrity);
}

static const char *apply_integrity_policy(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->integrity_policy));

	if (!why)
		strcpy(config->integrity_policy, value);
	return why;
}

static const char *apply_integrity_keys(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->integrity_keys));

	if (!why)
		strcpy(config->integrity_keys, value);
	return why;
}

static const char *apply_integrity_appraise(struct canister_config *config, const char *value)
{
	return canister_appraise_mode_parse(value, &config->integrity_appraise) < 0
		       ? "must be off, log or enforce"
		       : NULL;
}

static const char *apply_integrity_container_keys(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->integrity_container_keys));

	if (!why)
		strcpy(config->integrity_container_keys, value);
	return why;
}

static const char *apply_integrity_host_keys(struct canister_config *config, const char *value)
{
	return apply_switch(value, "yes", "no", "must be yes or no", &config->integrity_host_keys);
}

static const char *apply_integrity_dir(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->integrity_dir));

	if (!why)
		strcpy(config->integrity_dir, value);
	return why;
}

static const char *apply_access_dir(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->access_dir));

	if (!why)
		strcpy(config->access_dir, value);
	return why;
}

static const char *apply_access_policy(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->access_policy));

	if (!why)
		strcpy(config->access_policy, value);
	return why;
}

static const char *apply_access_policy_mode(struct canister_config *config, const char *value)
{
	return canister_access_mode_parse(value, &config->access_policy_mode) < 0
		       ? "must be enforce or complain"
		       : NULL;
}

static const char *apply_model_dir(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->model_dir));

	if (!why)
		strcpy(config->model_dir, value);
	return why;
}

static const char *apply_integrity_tpm(struct canister_config *config, const char *value)
{
	return apply_switch(value, "swtpm", "none", "must be none or swtpm",
			    &config->integrity_swtpm);
}

static const char *apply_integrity_mmap_digest(struct canister_config *config, const char *value)
{
	return apply_switch(value, "canisterd", "kernel", "must be kernel or canisterd",
			    &config->integrity_mmap_canisterd_digest);
}

static const char *apply_integrity_fail(struct canister_config *config, const char *value)
{
	return apply_switch(value, "closed", "open", "must be open or closed",
			    &config->integrity_fail_closed);
}

#define MAX_LOG_FILE_WHY "must be a whole number of MiB from 0 to " MAX_LOG_FILE_MAX_TEXT
#define NUM_LOGS_WHY "must be a whole number from " NUM_LOGS_RANGE_TEXT
#define LOG_MAX_FILE_WHY                                                                         \
	"must be a whole number of MiB from 0 to " MAX_LOG_FILE_MAX_TEXT ", or of KiB with a K " \
	"suffix (64K)"
#define LOG_FORMAT_WHY "must be one of text, json"
#define BACKLOG_WHY "must be a whole number of events from 1 to " SINK_BACKLOG_MAX_TEXT
#define BACKLOG_BYTES_WHY "must be a whole number of bytes from " SINK_BACKLOG_BYTES_RANGE_TEXT

static const char *apply_max_log_file(struct canister_config *config, const char *value)
{
	if (!parse_number(value, 0, CANISTER_MAX_LOG_FILE_MIB_MAX,
			  &config->log_policy.max_log_file_mib))
		return MAX_LOG_FILE_WHY;
	return NULL;
}

/*
 * canisterd's own log: MiB as max_log_file, or KiB with a K suffix, since a
 * daemon's log is small beside an audit log.
 */
static const char *apply_log_max_file(struct canister_config *config, const char *value)
{
	size_t len = strlen(value);
	unsigned int number;
	char digits[16];

	if (len > 1 && len < sizeof(digits) && (value[len - 1] == 'K' || value[len - 1] == 'k')) {
		memcpy(digits, value, len - 1);
		digits[len - 1] = '\0';
		if (!parse_number(digits, 0, CANISTER_MAX_LOG_FILE_MIB_MAX * 1024, &number))
			return LOG_MAX_FILE_WHY;
		config->log_max_bytes = (uint64_t)number * 1024;
		return NULL;
	}
	if (!parse_number(value, 0, CANISTER_MAX_LOG_FILE_MIB_MAX, &number))
		return LOG_MAX_FILE_WHY;
	config->log_max_bytes = (uint64_t)number * 1024 * 1024;
	return NULL;
}

static const char *apply_log_num_logs(struct canister_config *config, const char *value)
{
	if (!parse_number(value, CANISTER_AUDIT_NUM_LOGS_MIN, CANISTER_AUDIT_NUM_LOGS_MAX,
			  &config->log_num_logs))
		return NUM_LOGS_WHY;
	return NULL;
}

static const char *apply_num_logs(struct canister_config *config, const char *value)
{
	if (!parse_number(value, CANISTER_AUDIT_NUM_LOGS_MIN, CANISTER_AUDIT_NUM_LOGS_MAX,
			  &config->log_policy.num_logs))
		return NUM_LOGS_WHY;
	return NULL;
}

static const char *apply_flush(struct canister_config *config, const char *value)
{
	int flush = parse_enum_any_case(value, flush_names, ARRAY_SIZE(flush_names));

	if (flush < 0)
		return "must be one of none, incremental, incremental_async, data, sync";
	config->log_policy.flush = flush;
	return NULL;
}

static const char *apply_freq(struct canister_config *config, const char *value)
{
	if (!parse_number(value, 1, CANISTER_FREQ_MAX, &config->log_policy.freq))
		return "must be a whole number from 1 to " FREQ_MAX_TEXT;
	return NULL;
}

static const char *apply_host_log_format(struct canister_config *config, const char *value)
{
	int format = parse_enum(value, log_format_names, ARRAY_SIZE(log_format_names));

	if (format < 0)
		return LOG_FORMAT_WHY;
	config->host_log_format = format;
	return NULL;
}

static const char *apply_plugin_dir(struct canister_config *config, const char *value)
{
	const char *why = check_path(value, sizeof(config->plugin_dir));

	if (!why)
		strcpy(config->plugin_dir, value);
	return why;
}

static const char *const name_format_names[] = {
	[CANISTER_NAME_FORMAT_NONE] = "none",
	[CANISTER_NAME_FORMAT_HOSTNAME] = "hostname",
	[CANISTER_NAME_FORMAT_USER] = "user",
};

static const char *apply_name_format(struct canister_config *config, const char *value)
{
	int format = parse_enum(value, name_format_names, ARRAY_SIZE(name_format_names));

	if (format < 0)
		return "must be none, hostname or user (auditd's fqd and numeric are not "
		       "supported)";
	config->name_format = format;
	return NULL;
}

/* As a node= value it must need no quoting, and stay one word. */
static const char *apply_node_name(struct canister_config *config, const char *value)
{
	size_t len = strlen(value);

	if (len == 0 || len >= sizeof(config->node_name) ||
	    strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    len)
		return "must be 1 to 63 characters of A-Z a-z 0-9 . _ -";
	strcpy(config->node_name, value);
	return NULL;
}

/* A whole number from @min to @max (the contid reader: no sign, no base, no spaces). */
static const char *apply_uint(const char *value, unsigned int min, unsigned int max,
			      unsigned int *ret_value)
{
	static char why[64];
	uint64_t number;

	if (canister_parse_contid(value, &number) < 0 || number < min || number > max) {
		snprintf(why, sizeof(why), "must be a whole number from %u to %u", min, max);
		return why;
	}
	*ret_value = (unsigned int)number;
	return NULL;
}

/* The control socket's limits; how they relate to each other is checked once all are read. */
#define CONTROL_KEY(field, min, max)                                             \
	static const char *apply_control_##field(struct canister_config *config, \
						 const char *value)              \
	{                                                                        \
		return apply_uint(value, min, max, &config->control.field);      \
	}
CONTROL_KEY(connections, 2, 512)
CONTROL_KEY(host_reserve, 1, 511)
CONTROL_KEY(connections_per_container, 1, 511)
CONTROL_KEY(connections_per_uid, 1, 511)
CONTROL_KEY(requests_per_second, 1, 100000)
CONTROL_KEY(request_burst, 1, 100000)
CONTROL_KEY(idle_timeout, 0, 86400)
CONTROL_KEY(refusal_records_per_minute, 1, 100000)
CONTROL_KEY(refusal_summary_interval, 1, 3600)

static const char *apply_integrity_deadline_ms(struct canister_config *config, const char *value)
{
	return apply_uint(value, CANISTER_INTEGRITY_DEADLINE_MS_MIN,
			  CANISTER_INTEGRITY_DEADLINE_MS_MAX, &config->integrity_deadline_ms);
}

static const char *apply_integrity_ended_kept(struct canister_config *config, const char *value)
{
	return apply_uint(value, 0, CANISTER_INTEGRITY_ENDED_KEPT_MAX,
			  &config->integrity_ended_kept);
}

static const char *apply_model_ended_grace(struct canister_config *config, const char *value)
{
	return apply_uint(value, 0, CANISTER_MODEL_ENDED_GRACE_MAX, &config->model_ended_grace);
}

static const char *apply_model_ended_kept(struct canister_config *config, const char *value)
{
	return apply_uint(value, 0, CANISTER_MODEL_ENDED_KEPT_MAX, &config->model_ended_kept);
}

/* An audit_sink line, parsed into config->sinks; `apply` is NULL for it in config_keys. */
#define SINK_KEY "audit_sink"

static const struct config_key config_keys[] = {
	{ "pin_path", apply_pin_path },
	{ "control_socket", apply_control_socket },
	{ "log_file", apply_log_file },
	{ "log_max_file", apply_log_max_file },
	{ "log_num_logs", apply_log_num_logs },
	{ "mode", apply_mode },
	{ "log_level", apply_log_level },
	{ "audit_log", apply_audit_log },
	{ "nest_limit", apply_nest_limit },
	{ "labels_max", apply_labels_max },
	{ "join_policy", apply_join_policy },
	{ "kernel_audit", apply_kernel_audit },
	{ "host_log", apply_host_log },
	{ "audit_rules", apply_audit_rules },
	{ "max_log_file", apply_max_log_file },
	{ "num_logs", apply_num_logs },
	{ "flush", apply_flush },
	{ "freq", apply_freq },
	{ "host_log_format", apply_host_log_format },
	{ "plugin_dir", apply_plugin_dir },
	{ "auditd_plugin_socket", apply_auditd_plugin_socket },
	{ "name_format", apply_name_format },
	{ "name", apply_node_name },
	{ "control_connections", apply_control_connections },
	{ "control_host_reserve", apply_control_host_reserve },
	{ "control_connections_per_container", apply_control_connections_per_container },
	{ "control_connections_per_uid", apply_control_connections_per_uid },
	{ "control_requests_per_second", apply_control_requests_per_second },
	{ "control_request_burst", apply_control_request_burst },
	{ "control_idle_timeout", apply_control_idle_timeout },
	{ "control_refusal_records_per_minute", apply_control_refusal_records_per_minute },
	{ "control_refusal_summary_interval", apply_control_refusal_summary_interval },
	{ "integrity", apply_integrity },
	{ "integrity_policy", apply_integrity_policy },
	{ "integrity_dir", apply_integrity_dir },
	{ "integrity_keys", apply_integrity_keys },
	{ "integrity_appraise", apply_integrity_appraise },
	{ "integrity_container_keys", apply_integrity_container_keys },
	{ "integrity_host_keys", apply_integrity_host_keys },
	{ "integrity_deadline_ms", apply_integrity_deadline_ms },
	{ "integrity_fail", apply_integrity_fail },
	{ "integrity_tpm", apply_integrity_tpm },
	{ "integrity_ended_kept", apply_integrity_ended_kept },
	{ "integrity_mmap_digest", apply_integrity_mmap_digest },
	{ "access_dir", apply_access_dir },
	{ "access_policy", apply_access_policy },
	{ "access_policy_mode", apply_access_policy_mode },
	{ "model_dir", apply_model_dir },
	{ "model_ended_grace", apply_model_ended_grace },
	{ "model_ended_kept", apply_model_ended_kept },
	{ SINK_KEY, NULL },
};

/* What parsing keeps about the sink lines until the whole text is read. */
struct sink_lines {
	unsigned int line[CANISTER_SINKS_MAX];
	/* The line set its own max_log_file or num_logs; else the global value applies. */
	bool own_max_log_file[CANISTER_SINKS_MAX];
	bool own_num_logs[CANISTER_SINKS_MAX];
};

enum sink_option {
	SINK_LOG,
	SINK_RULES,
	SINK_BACKLOG,
	SINK_BACKLOG_BYTES,
	SINK_FORMAT,
	SINK_SOCKET,
	SINK_MAX_LOG_FILE,
	SINK_NUM_LOGS,
	SINK_OPTION_COUNT,
};

static const char *const sink_option_names[] = {
	[SINK_LOG] = "log",
	[SINK_RULES] = "rules",
	[SINK_BACKLOG] = "backlog",
	[SINK_BACKLOG_BYTES] = "backlog_bytes",
	[SINK_FORMAT] = "format",
	[SINK_SOCKET] = "socket",
	[SINK_MAX_LOG_FILE] = "max_log_file",
	[SINK_NUM_LOGS] = "num_logs",
};

static bool set_why(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return false;
}

/* A path option: refused as the top-level path keys are, or copied to @dest. */
static bool sink_path(const char *option, const char *value, char *dest, size_t size, char *why,
		      size_t why_len)
{
	const char *bad = check_path(value, size);

	if (bad)
		return set_why(why, why_len, "%s: '%s' %s", option, value, bad);
	strcpy(dest, value);
	return true;
}

/* One OPTION=VALUE of a sink line; @token is modified. */
static bool sink_option(struct canister_sink_config *sink, bool *seen, char *token,
			bool *ret_own_max, bool *ret_own_num, char *why, size_t why_len)
{
	char *eq = strchr(token, '=');
	const char *value;
	int k, format;

	if (!eq || eq == token)
		return set_why(why, why_len, "'%s' is not OPTION=VALUE", token);
	*eq = '\0';
	value = eq + 1;
	k = parse_enum(token, sink_option_names, ARRAY_SIZE(sink_option_names));
	if (k < 0)
		return set_why(why, why_len,
			       "unknown option '%s'; options are log, rules, backlog, "
			       "backlog_bytes, format, socket, max_log_file, num_logs",
			       token);
	if (seen[k])
		return set_why(why, why_len, "'%s' is given twice", token);
	seen[k] = true;
	if (*value == '\0')
		return set_why(why, why_len, "'%s' has no value", token);

	switch ((enum sink_option)k) {
	case SINK_LOG:
		return sink_path(token, value, sink->log, sizeof(sink->log), why, why_len);
	case SINK_RULES:
		return sink_path(token, value, sink->rules, sizeof(sink->rules), why, why_len);
	case SINK_SOCKET:
		/* It must fit sun_path with its NUL, or bind() would fail at start. */
		return sink_path(token, value, sink->socket, sizeof(sink->socket), why, why_len);
	case SINK_BACKLOG:
		if (!parse_number(value, 1, CANISTER_SINK_BACKLOG_MAX, &sink->backlog))
			return set_why(why, why_len, "backlog: '%s' " BACKLOG_WHY, value);
		return true;
	case SINK_BACKLOG_BYTES:
		if (!parse_number(value, CANISTER_SINK_BACKLOG_BYTES_MIN,
				  CANISTER_SINK_BACKLOG_BYTES_MAX, &sink->backlog_bytes))
			return set_why(why, why_len, "backlog_bytes: '%s' " BACKLOG_BYTES_WHY,
				       value);
		return true;
	case SINK_FORMAT:
		format = parse_enum(value, log_format_names, ARRAY_SIZE(log_format_names));
		if (format < 0)
			return set_why(why, why_len, "format: '%s' " LOG_FORMAT_WHY, value);
		sink->format = format;
		return true;
	case SINK_MAX_LOG_FILE:
		if (!parse_number(value, 0, CANISTER_MAX_LOG_FILE_MIB_MAX,
				  &sink->policy.max_log_file_mib))
			return set_why(why, why_len, "max_log_file: '%s' " MAX_LOG_FILE_WHY, value);
		*ret_own_max = true;
		return true;
	case SINK_NUM_LOGS:
		if (!parse_number(value, CANISTER_AUDIT_NUM_LOGS_MIN, CANISTER_AUDIT_NUM_LOGS_MAX,
				  &sink->policy.num_logs))
			return set_why(why, why_len, "num_logs: '%s' " NUM_LOGS_WHY, value);
		*ret_own_num = true;
		return true;
	case SINK_OPTION_COUNT:
		break;
	}
	return set_why(why, why_len, "unknown option '%s'", token);
}

/*
 * Between a sink line's words.  A '\r' in the middle of a line is taken as a
 * blank, as one at its end is: a path never ends in one.
 */
#define SINK_BLANKS " \t\r"

/*
 * `audit_sink = CONTID log=/path [OPTION=VALUE...]`, options separated by
 * blanks; @value is modified.  Checks against the other sinks are made here,
 * those against keys that may come later in the text by finish_sinks().
 */
static bool parse_sink(struct canister_config *config, struct sink_lines *lines, char *value,
		       unsigned int line_no, char *why, size_t why_len)
{
	struct canister_sink_config sink = {
		.backlog = CANISTER_DEFAULT_SINK_BACKLOG,
		.backlog_bytes = CANISTER_DEFAULT_SINK_BACKLOG_BYTES,
		.format = CANISTER_LOG_FORMAT_TEXT,
	};
	bool seen[SINK_OPTION_COUNT] = { false }, own_max = false, own_num = false;
	const unsigned int n = config->sink_count;
	char *token, *save;

	if (n == CANISTER_SINKS_MAX)
		return set_why(why, why_len, "more than " SINKS_MAX_TEXT " sinks");
	token = strtok_r(value, SINK_BLANKS, &save);
	/* 0 is no container a sink could follow; the unset value is refused by the reader. */
	if (canister_parse_contid(token, &sink.contid) < 0 || sink.contid == 0)
		return set_why(why, why_len,
			       "must start with a container ID (1 to 18446744073709551614), "
			       "not '%s'",
			       token);
	for (unsigned int i = 0; i < n; i++)
		if (config->sinks[i].contid == sink.contid)
			return set_why(why, why_len,
				       "contid %" PRIu64 " already has a sink on line %u",
				       sink.contid, lines->line[i]);
	while ((token = strtok_r(NULL, SINK_BLANKS, &save)))
		if (!sink_option(&sink, seen, token, &own_max, &own_num, why, why_len))
			return false;
	if (!seen[SINK_LOG])
		return set_why(why, why_len, "log=/absolute/path is missing");
	/* Two writers rotating one file would rename each other's records away. */
	for (unsigned int i = 0; i < n; i++) {
		if (strcmp(config->sinks[i].log, sink.log) == 0)
			return set_why(why, why_len,
				       "log '%s' is already the log of the sink on line %u",
				       sink.log, lines->line[i]);
		if (sink.socket[0] && strcmp(config->sinks[i].socket, sink.socket) == 0)
			return set_why(why, why_len,
				       "socket '%s' is already the socket of the sink on line %u",
				       sink.socket, lines->line[i]);
	}
	config->sinks[n] = sink;
	lines->line[n] = line_no;
	lines->own_max_log_file[n] = own_max;
	lines->own_num_logs[n] = own_num;
	config->sink_count = n + 1;
	return true;
}

static size_t key_index(const char *name)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(config_keys); k++)
		if (strcmp(config_keys[k].name, name) == 0)
			break;
	return k;
}

/* " (line N)" when @key was set in the text, "" when its default applies. */
static const char *where_set(const unsigned *first_line_of, const char *key, char *buf, size_t len)
{
	unsigned int line = first_line_of[key_index(key)];

	if (!line)
		return "";
	snprintf(buf, len, " (line %u)", line);
	return buf;
}

/*
 * Once the whole text is read: each sink takes the global log policy where
 * its line set none, and may not share a file with canisterd's other logs
 * or its control socket.  Returns the index of a refused sink, or -1.
 */
static int finish_sinks(struct canister_config *config, const struct sink_lines *lines,
			const unsigned *first_line_of, char *why, size_t why_len)
{
	for (unsigned int i = 0; i < config->sink_count; i++) {
		struct canister_sink_config *sink = &config->sinks[i];
		const struct {
			const char *key;
			const char *path;
		} others[] = {
			{ "host_log", config->host_log },
			{ "audit_log", config->audit_log },
			{ "log_file", config->log_file },
		};
		struct canister_log_policy_config own = sink->policy;
		char line[32];

		for (size_t k = 0; k < ARRAY_SIZE(others); k++)
			if (strcmp(sink->log, others[k].path) == 0) {
				set_why(why, why_len, "log '%s' is also %s%s", sink->log,
					others[k].key,
					where_set(first_line_of, others[k].key, line,
						  sizeof(line)));
				return (int)i;
			}
		if (strcmp(sink->socket, config->control_socket) == 0) {
			set_why(why, why_len, "socket '%s' is also control_socket%s", sink->socket,
				where_set(first_line_of, "control_socket", line, sizeof(line)));
			return (int)i;
		}
		sink->policy = config->log_policy;
		if (lines->own_max_log_file[i])
			sink->policy.max_log_file_mib = own.max_log_file_mib;
		if (lines->own_num_logs[i])
			sink->policy.num_logs = own.num_logs;
	}
	return -1;
}

int canister_config_parse(const char *text, size_t len, const char *source,
			  struct canister_config *ret_config, char *err, size_t err_len)
{
	unsigned first_line_of[ARRAY_SIZE(config_keys)] = { 0 };
	struct canister_config config;
	struct sink_lines sink_lines;
	struct canister_kv_reader reader;
	char why_sink[768], *key, *value;
	int refused, r;

	canister_config_defaults(&config);
	r = canister_kv_begin(&reader, text, len, source, err, err_len);
	if (r < 0)
		return r;
	while ((r = canister_kv_next(&reader, &key, &value, err, err_len)) > 0) {
		unsigned line_no = reader.line_no;
		const char *why;
		size_t k;

		k = key_index(key);
		if (k == ARRAY_SIZE(config_keys)) {
			canister_kv_error(err, err_len, source, line_no, "unknown key '%s'", key);
			return -EINVAL;
		}
		/* A sink line is given once per container: parse_sink() checks that. */
		if (first_line_of[k] && config_keys[k].apply) {
			canister_kv_error(err, err_len, source, line_no,
					  "'%s' is already set on line %u", key, first_line_of[k]);
			return -EINVAL;
		}
		if (!first_line_of[k])
			first_line_of[k] = line_no;
		if (*value == '\0') {
			canister_kv_error(err, err_len, source, line_no, "'%s' has no value", key);
			return -EINVAL;
		}
		/* "pin_path = /x # note" would otherwise pin at "/x # note". */
		if (strchr(value, '#')) {
			canister_kv_error(err, err_len, source, line_no,
					  "'#' inside a value; comments go on lines of their own");
			return -EINVAL;
		}
		if (!config_keys[k].apply) {
			if (!parse_sink(&config, &sink_lines, value, line_no, why_sink,
					sizeof(why_sink))) {
				canister_kv_error(err, err_len, source, line_no, SINK_KEY ": %s",
						  why_sink);
				return -EINVAL;
			}
			continue;
		}
		why = config_keys[k].apply(&config, value);
		if (why) {
			canister_kv_error(err, err_len, source, line_no, "%s: '%s' %s", key, value,
					  why);
			return -EINVAL;
		}
	}
	if (r < 0)
		return r;

	if (config.name_format == CANISTER_NAME_FORMAT_USER && !config.node_name[0]) {
		canister_kv_error(err, err_len, source, first_line_of[key_index("name_format")],
				  "name_format: 'user' needs a name = NAME line");
		return -EINVAL;
	}
	if (config.control.host_reserve >= config.control.connections) {
		canister_kv_error(
			err, err_len, source,
			first_line_of[key_index("control_host_reserve")]
				?: first_line_of[key_index("control_connections")],
			"control_host_reserve (%u) must be below control_connections (%u)",
			config.control.host_reserve, config.control.connections);
		return -EINVAL;
	}
	refused = finish_sinks(&config, &sink_lines, first_line_of, why_sink, sizeof(why_sink));
	if (refused >= 0) {
		canister_kv_error(err, err_len, source, sink_lines.line[refused], SINK_KEY ": %s",
				  why_sink);
		return -EINVAL;
	}
	*ret_config = config;
	return 0;
}

int canister_config_load(const char *path, struct canister_config *ret_config, char *err,
			 size_t err_len)
{
	char *text;
	size_t len;
	int r;

	r = canister_read_trusted_file(path, CANISTER_CONFIG_MAX_BYTES, &text, &len, err, err_len);
	if (r < 0)
		return r;
	r = canister_config_parse(text, len, path, ret_config, err, err_len);
	free(text);
	return r;
}

static bool sink_differs(const struct canister_sink_config *a, const struct canister_sink_config *b)
{
	return a->contid != b->contid || strcmp(a->log, b->log) != 0 ||
	       strcmp(a->rules, b->rules) != 0 || strcmp(a->socket, b->socket) != 0 ||
	       a->backlog != b->backlog || a->backlog_bytes != b->backlog_bytes ||
	       a->format != b->format || a->policy.max_log_file_mib != b->policy.max_log_file_mib ||
	       a->policy.num_logs != b->policy.num_logs || a->policy.flush != b->policy.flush ||
	       a->policy.freq != b->policy.freq;
}

/* In order too: a reordered file is a change someone will want to see applied. */
static bool sinks_differ(const struct canister_config *old,
			 const struct canister_config *new_config)
{
	if (old->sink_count != new_config->sink_count)
		return true;
	for (unsigned int i = 0; i < old->sink_count && i < CANISTER_SINKS_MAX; i++)
		if (sink_differs(&old->sinks[i], &new_config->sinks[i]))
			return true;
	return false;
}

void canister_config_restart_keys(const struct canister_config *old,
				  const struct canister_config *new_config, char *buf, size_t len)
{
	const struct {
		const char *name;
		bool differs;
	} keys[] = {
		{ "pin_path", strcmp(old->pin_path, new_config->pin_path) != 0 },
		{ "control_socket", strcmp(old->control_socket, new_config->control_socket) != 0 },
		{ "log_file", strcmp(old->log_file, new_config->log_file) != 0 },
		{ "log_max_file", old->log_max_bytes != new_config->log_max_bytes },
		{ "log_num_logs", old->log_num_logs != new_config->log_num_logs },
		{ "mode", old->mode != new_config->mode },
		{ "audit_log", strcmp(old->audit_log, new_config->audit_log) != 0 },
		{ "join_policy", old->join_policy != new_config->join_policy },
		{ "labels_max", old->labels_max != new_config->labels_max },
		{ "kernel_audit", old->kernel_audit != new_config->kernel_audit },
		{ "host_log", strcmp(old->host_log, new_config->host_log) != 0 },
		{ "audit_rules", strcmp(old->audit_rules, new_config->audit_rules) != 0 },
		{ "max_log_file",
		  old->log_policy.max_log_file_mib != new_config->log_policy.max_log_file_mib },
		{ "num_logs", old->log_policy.num_logs != new_config->log_policy.num_logs },
		{ "flush", old->log_policy.flush != new_config->log_policy.flush },
		{ "freq", old->log_policy.freq != new_config->log_policy.freq },
		{ "host_log_format", old->host_log_format != new_config->host_log_format },
		{ "plugin_dir", strcmp(old->plugin_dir, new_config->plugin_dir) != 0 },
		{ "auditd_plugin_socket",
		  strcmp(old->auditd_plugin_socket, new_config->auditd_plugin_socket) != 0 },
		{ "name_format", old->name_format != new_config->name_format ||
					 strcmp(old->node_name, new_config->node_name) != 0 },
		{ "audit_sink", sinks_differ(old, new_config) },
		{ "integrity", old->integrity != new_config->integrity },
		{ "integrity_policy",
		  strcmp(old->integrity_policy, new_config->integrity_policy) != 0 },
		{ "integrity_dir", strcmp(old->integrity_dir, new_config->integrity_dir) != 0 },
		{ "integrity_keys", strcmp(old->integrity_keys, new_config->integrity_keys) != 0 },
		{ "integrity_appraise", old->integrity_appraise != new_config->integrity_appraise },
		{ "integrity_container_keys", strcmp(old->integrity_container_keys,
						     new_config->integrity_container_keys) != 0 },
		{ "integrity_host_keys",
		  old->integrity_host_keys != new_config->integrity_host_keys },
		{ "integrity_deadline_ms",
		  old->integrity_deadline_ms != new_config->integrity_deadline_ms },
		{ "integrity_fail",
		  old->integrity_fail_closed != new_config->integrity_fail_closed },
		{ "integrity_tpm", old->integrity_swtpm != new_config->integrity_swtpm },
		{ "integrity_ended_kept",
		  old->integrity_ended_kept != new_config->integrity_ended_kept },
		{ "integrity_mmap_digest", old->integrity_mmap_canisterd_digest !=
						   new_config->integrity_mmap_canisterd_digest },
		{ "access_dir", strcmp(old->access_dir, new_config->access_dir) != 0 },
		{ "access_policy", strcmp(old->access_policy, new_config->access_policy) != 0 },
		{ "access_policy_mode", old->access_policy_mode != new_config->access_policy_mode },
		{ "model_dir", strcmp(old->model_dir, new_config->model_dir) != 0 },
		{ "model_ended_grace", old->model_ended_grace != new_config->model_ended_grace },
		{ "model_ended_kept", old->model_ended_kept != new_config->model_ended_kept },
	};
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		int n;

		if (!keys[i].differs)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", keys[i].name);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += n;
	}
}
