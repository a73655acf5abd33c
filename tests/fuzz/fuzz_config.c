// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_config_parse() on arbitrary bytes, with its invariants. */
#include "lib/config.h"

#include <canister/abi.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

#define SOURCE "fuzz.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same rules the daemon's users are promised: absolute, canonical, terminated. */
static void check_path(const char *path, size_t size, const char *err)
{
	size_t len;

	if (!memchr(path, '\0', size))
		broken("path not NUL-terminated", err);
	len = strlen(path);
	if (path[0] != '/' || len < 2 || path[len - 1] == '/')
		broken("path not absolute, or '/' or trailing '/'", err);
	if (strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../"))
		broken("path has an empty, '.' or '..' component", err);
	if ((len >= 2 && strcmp(path + len - 2, "/.") == 0) ||
	    (len >= 3 && strcmp(path + len - 3, "/..") == 0))
		broken("path ends in a '.' or '..' component", err);
	if (strpbrk(path, "\n") || path[len - 1] == ' ' || path[len - 1] == '\t' ||
	    path[len - 1] == '\r')
		broken("path keeps a newline or trailing white space", err);
}

static void check_optional_path(const char *path, size_t size, const char *what)
{
	if (!memchr(path, '\0', size))
		broken("optional path not NUL-terminated", what);
	if (path[0])
		check_path(path, size, what);
}

static void check_policy(const struct canister_log_policy_config *policy)
{
	if (policy->max_log_file_mib > CANISTER_MAX_LOG_FILE_MIB_MAX)
		broken("max_log_file out of range", "");
	if (policy->num_logs < 2 || policy->num_logs > 99)
		broken("num_logs out of range", "");
	if ((unsigned)policy->flush > CANISTER_AUDIT_FLUSH_SYNC)
		broken("flush out of range", "");
	if (policy->freq < 1 || policy->freq > CANISTER_FREQ_MAX)
		broken("freq out of range", "");
}

/* What every accepted set of sinks is promised: valid, and sharing no file or socket. */
static void check_sinks(const struct canister_config *config)
{
	if (config->sink_count > CANISTER_SINKS_MAX)
		broken("too many sinks", "");
	for (unsigned int i = 0; i < config->sink_count; i++) {
		const struct canister_sink_config *sink = &config->sinks[i];

		if (sink->contid == 0 || sink->contid == CANISTER_CONTID_UNSET)
			broken("sink contid 0 or unset", "");
		check_path(sink->log, sizeof(sink->log), "sink log");
		check_optional_path(sink->rules, sizeof(sink->rules), "sink rules");
		check_optional_path(sink->socket, sizeof(sink->socket), "sink socket");
		if (strpbrk(sink->log, " \t\r") || strpbrk(sink->rules, " \t\r") ||
		    strpbrk(sink->socket, " \t\r"))
			broken("sink path holds a blank", "");
		if (sink->backlog < 1 || sink->backlog > CANISTER_SINK_BACKLOG_MAX)
			broken("sink backlog out of range", "");
		if ((unsigned)sink->format > CANISTER_LOG_FORMAT_JSON)
			broken("sink format out of range", "");
		check_policy(&sink->policy);
		if (sink->policy.flush != config->log_policy.flush ||
		    sink->policy.freq != config->log_policy.freq)
			broken("sink flush or freq differs from the global one", "");
		if (!strcmp(sink->log, config->host_log) || !strcmp(sink->log, config->audit_log) ||
		    !strcmp(sink->log, config->log_file))
			broken("sink log is another log of canisterd's", "");
		if (!strcmp(sink->socket, config->control_socket))
			broken("sink socket is the control socket", "");
		for (unsigned int j = 0; j < i; j++) {
			if (config->sinks[j].contid == sink->contid)
				broken("two sinks for one contid", "");
			if (!strcmp(config->sinks[j].log, sink->log))
				broken("two sinks share a log", "");
			if (sink->socket[0] && !strcmp(config->sinks[j].socket, sink->socket))
				broken("two sinks share a socket", "");
		}
	}
}

static void append(char *text, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *text, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *used)
		broken("write-back buffer too small", "");
	*used += (size_t)n;
}

/* The accepted config as a file that must parse back to the same settings. */
static void write_back(const struct canister_config *config, char *text, size_t size)
{
	static const char *const formats[] = { "text", "json" };
	size_t used = 0;

	append(text, size, &used,
	       "pin_path = %s\ncontrol_socket = %s\nlog_file = %s\nmode = %s\nlog_level = %s\n"
	       "audit_log = %s\nhost_log = %s\nmax_log_file = %u\nnum_logs = %u\nflush = %s\n"
	       "freq = %u\nhost_log_format = %s\n",
	       config->pin_path, config->control_socket, config->log_file,
	       canister_mode_name(config->mode), canister_log_level_name(config->log_level),
	       config->audit_log, config->host_log, config->log_policy.max_log_file_mib,
	       config->log_policy.num_logs, canister_audit_flush_name(config->log_policy.flush),
	       config->log_policy.freq, formats[config->host_log_format]);
	if (config->plugin_dir[0])
		append(text, size, &used, "plugin_dir = %s\n", config->plugin_dir);
	append(text, size, &used, "integrity_appraise = %s\nintegrity_host_keys = %s\n",
	       canister_appraise_mode_name(config->integrity_appraise),
	       config->integrity_host_keys ? "yes" : "no");
	if (config->integrity_container_keys[0])
		append(text, size, &used, "integrity_container_keys = %s\n",
		       config->integrity_container_keys);
	for (unsigned int i = 0; i < config->sink_count; i++) {
		const struct canister_sink_config *sink = &config->sinks[i];

		append(text, size, &used,
		       "audit_sink = %" PRIu64 " log=%s backlog=%u format=%s max_log_file=%u "
		       "num_logs=%u",
		       sink->contid, sink->log, sink->backlog, formats[sink->format],
		       sink->policy.max_log_file_mib, sink->policy.num_logs);
		if (sink->rules[0])
			append(text, size, &used, " rules=%s", sink->rules);
		if (sink->socket[0])
			append(text, size, &used, " socket=%s", sink->socket);
		append(text, size, &used, "\n");
	}
}

static bool same_policy(const struct canister_log_policy_config *a,
			const struct canister_log_policy_config *b)
{
	return a->max_log_file_mib == b->max_log_file_mib && a->num_logs == b->num_logs &&
	       a->flush == b->flush && a->freq == b->freq;
}

static bool same_config(const struct canister_config *a, const struct canister_config *b)
{
	if (strcmp(a->pin_path, b->pin_path) || strcmp(a->control_socket, b->control_socket) ||
	    strcmp(a->log_file, b->log_file) || a->mode != b->mode ||
	    a->log_level != b->log_level || strcmp(a->audit_log, b->audit_log) ||
	    strcmp(a->host_log, b->host_log) || !same_policy(&a->log_policy, &b->log_policy) ||
	    a->host_log_format != b->host_log_format || strcmp(a->plugin_dir, b->plugin_dir) ||
	    a->sink_count != b->sink_count || a->integrity_appraise != b->integrity_appraise ||
	    a->integrity_host_keys != b->integrity_host_keys ||
	    strcmp(a->integrity_container_keys, b->integrity_container_keys))
		return false;
	for (unsigned int i = 0; i < a->sink_count; i++) {
		const struct canister_sink_config *x = &a->sinks[i], *y = &b->sinks[i];

		if (x->contid != y->contid || strcmp(x->log, y->log) ||
		    strcmp(x->rules, y->rules) || strcmp(x->socket, y->socket) ||
		    x->backlog != y->backlog || x->format != y->format ||
		    !same_policy(&x->policy, &y->policy))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Static: three configs with their sinks are large for libFuzzer's stack. */
	static struct canister_config config, untouched, again;
	static char text[CANISTER_SINKS_MAX * 1024 + 4096];
	char err[1536];
	int r;

	memset(&config, 0xa5, sizeof(config));
	memcpy(&untouched, &config, sizeof(config));
	memset(err, 'x', sizeof(err));
	r = canister_config_parse((const char *)data, size, SOURCE, &config, err, sizeof(err));
	if (r < 0) {
		if (r != -EINVAL)
			broken("error other than -EINVAL", err);
		check_line_error(SOURCE, err, sizeof(err), input_lines(data, size));
		if (memcmp(&config, &untouched, sizeof(config)) != 0)
			broken("output written on error", err);
		return 0;
	}
	if (r != 0)
		broken("positive return", "");
	check_path(config.pin_path, sizeof(config.pin_path), "");
	check_path(config.control_socket, sizeof(config.control_socket), "");
	check_path(config.log_file, sizeof(config.log_file), "");
	if ((unsigned)config.mode > CANISTER_MODE_LSM)
		broken("mode out of range", "");
	if ((unsigned)config.log_level > CANISTER_LOG_DEBUG)
		broken("log_level out of range", "");
	check_path(config.audit_log, sizeof(config.audit_log), "");
	check_path(config.host_log, sizeof(config.host_log), "");
	check_optional_path(config.plugin_dir, sizeof(config.plugin_dir), "plugin_dir");
	check_policy(&config.log_policy);
	if ((unsigned)config.host_log_format > CANISTER_LOG_FORMAT_JSON)
		broken("host_log_format out of range", "");
	check_sinks(&config);
	if (!canister_appraise_mode_name(config.integrity_appraise))
		broken("integrity_appraise out of range", "");
	check_optional_path(config.integrity_container_keys,
			    sizeof(config.integrity_container_keys), "integrity_container_keys");

	/* Written back out as a file, the result must parse to itself. */
	write_back(&config, text, sizeof(text));
	memset(&again, 0, sizeof(again));
	if (canister_config_parse(text, strlen(text), SOURCE, &again, err, sizeof(err)) != 0)
		broken("accepted config does not parse when written back", err);
	if (!same_config(&config, &again))
		broken("accepted config changes when written back", "");
	return 0;
}
