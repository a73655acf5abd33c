// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: canisterd's configuration file, `key = value` lines. */
#include "lib/config.h"

#include "lib/contid.h"
#include "lib/trusted_file.h"

#include <canister/abi.h>
#include <canister/canister.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Spelled out for the message; checked against the header below. */
#define NEST_LIMIT_MAX_TEXT "20"
_Static_assert(CANISTER_NEST_LIMIT_MAX == 20, "update NEST_LIMIT_MAX_TEXT");

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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *canister_mode_name(enum canister_mode mode)
{
	return (unsigned)mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : "?";
}

const char *canister_log_level_name(enum canister_log_level level)
{
	return (unsigned)level < ARRAY_SIZE(log_level_names) ? log_level_names[level] : "?";
}

void canister_config_defaults(struct canister_config *ret_config)
{
	memset(ret_config, 0, sizeof(*ret_config));
	strcpy(ret_config->pin_path, CANISTER_DEFAULT_PIN_PATH);
	strcpy(ret_config->control_socket, CANISTER_DEFAULT_SOCKET);
	strcpy(ret_config->log_file, CANISTER_DEFAULT_LOG_FILE);
	ret_config->mode = CANISTER_MODE_AUTO;
	ret_config->log_level = CANISTER_LOG_INFO;
	strcpy(ret_config->audit_log, CANISTER_DEFAULT_AUDIT_LOG);
	ret_config->nest_limit = CANISTER_NEST_LIMIT_DEFAULT;
	ret_config->join_policy = CANISTER_JOIN_LABEL;
	ret_config->kernel_audit = false;
	strcpy(ret_config->host_log, CANISTER_DEFAULT_HOST_LOG);
}

static void set_error(char *err, size_t err_len, const char *source, unsigned line, const char *fmt,
		      ...)
{
	va_list ap;
	int n;

	if (!err || !err_len)
		return;
	n = snprintf(err, err_len, "%s:%u: ", source, line);
	if (n < 0 || (size_t)n >= err_len)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, err_len - n, fmt, ap);
	va_end(ap);
}

static int parse_enum(const char *value, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(value, names[i]) == 0)
			return (int)i;
	return -1;
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

static const char *apply_kernel_audit(struct canister_config *config, const char *value)
{
	if (strcmp(value, "on") == 0)
		config->kernel_audit = true;
	else if (strcmp(value, "off") == 0)
		config->kernel_audit = false;
	else
		return "must be on or off";
	return NULL;
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

static const struct config_key config_keys[] = {
	{ "pin_path", apply_pin_path },		{ "control_socket", apply_control_socket },
	{ "log_file", apply_log_file },		{ "mode", apply_mode },
	{ "log_level", apply_log_level },	{ "audit_log", apply_audit_log },
	{ "nest_limit", apply_nest_limit },	{ "join_policy", apply_join_policy },
	{ "kernel_audit", apply_kernel_audit }, { "host_log", apply_host_log },
	{ "audit_rules", apply_audit_rules },
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int canister_config_parse(const char *text, size_t len, const char *source,
			  struct canister_config *ret_config, char *err, size_t err_len)
{
	unsigned first_line_of[ARRAY_SIZE(config_keys)] = { 0 };
	struct canister_config config;
	const char *end = text + len, *nul;
	unsigned line_no = 0;
	char line[1024];

	canister_config_defaults(&config);
	nul = memchr(text, '\0', len);
	if (nul) {
		/* Point at the line that holds it, as every other message does. */
		for (const char *p = text; p < nul; p++)
			line_no += *p == '\n';
		set_error(err, err_len, source, line_no + 1,
			  "contains a NUL byte; not a text file");
		return -EINVAL;
	}

	for (const char *p = text; p < end;) {
		const char *eol = memchr(p, '\n', end - p);
		size_t n = (eol ? eol : end) - p;
		char *key, *key_end, *value, *value_end;
		size_t k;
		const char *why;

		line_no++;
		if (n >= sizeof(line)) {
			set_error(err, err_len, source, line_no, "line is longer than %zu bytes",
				  sizeof(line) - 1);
			return -EINVAL;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (eol ? 1 : 0);

		key = line;
		while (is_blank(*key))
			key++;
		if (*key == '\0' || *key == '#' || (*key == '\r' && key[1] == '\0'))
			continue;

		key_end = key;
		while (is_key_char(*key_end))
			key_end++;
		value = key_end;
		while (is_blank(*value))
			value++;
		if (key_end == key || *value != '=') {
			set_error(err, err_len, source, line_no, "expected 'key = value'");
			return -EINVAL;
		}
		*key_end = '\0';
		value++;
		while (is_blank(*value))
			value++;
		value_end = value + strlen(value);
		while (value_end > value && (is_blank(value_end[-1]) || value_end[-1] == '\r'))
			value_end--;
		*value_end = '\0';

		for (k = 0; k < ARRAY_SIZE(config_keys); k++)
			if (strcmp(config_keys[k].name, key) == 0)
				break;
		if (k == ARRAY_SIZE(config_keys)) {
			set_error(err, err_len, source, line_no, "unknown key '%s'", key);
			return -EINVAL;
		}
		if (first_line_of[k]) {
			set_error(err, err_len, source, line_no, "'%s' is already set on line %u",
				  key, first_line_of[k]);
			return -EINVAL;
		}
		first_line_of[k] = line_no;
		if (*value == '\0') {
			set_error(err, err_len, source, line_no, "'%s' has no value", key);
			return -EINVAL;
		}
		/* "pin_path = /x # note" would otherwise pin at "/x # note". */
		if (strchr(value, '#')) {
			set_error(err, err_len, source, line_no,
				  "'#' inside a value; comments go on lines of their own");
			return -EINVAL;
		}
		why = config_keys[k].apply(&config, value);
		if (why) {
			set_error(err, err_len, source, line_no, "%s: '%s' %s", key, value, why);
			return -EINVAL;
		}
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
		{ "mode", old->mode != new_config->mode },
		{ "audit_log", strcmp(old->audit_log, new_config->audit_log) != 0 },
		{ "join_policy", old->join_policy != new_config->join_policy },
		{ "kernel_audit", old->kernel_audit != new_config->kernel_audit },
		{ "host_log", strcmp(old->host_log, new_config->host_log) != 0 },
		{ "audit_rules", strcmp(old->audit_rules, new_config->audit_rules) != 0 },
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
