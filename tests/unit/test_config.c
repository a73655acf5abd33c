// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: canisterd's config parser, its error positions and the safe file loader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/config.h"

#include <canister/abi.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCE "test.conf"

static char tmpdir[64];

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static int setup_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/canister-test-config.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A config that differs from the defaults in every field, so that "untouched
 * on error" cannot pass by accident when the parser resets to defaults.
 */
static void fill_sentinel(struct canister_config *config)
{
	memset(config, 0x5a, sizeof(*config));
	strcpy(config->pin_path, "/sentinel/pin");
	strcpy(config->control_socket, "/sentinel/sock");
	strcpy(config->log_file, "/sentinel/log");
	config->mode = CANISTER_MODE_LSM;
	config->log_level = CANISTER_LOG_DEBUG;
	strcpy(config->audit_log, "/sentinel/audit");
	config->nest_limit = 17;
	config->join_policy = CANISTER_JOIN_RECORD;
	config->kernel_audit = CANISTER_KERNEL_AUDIT_ON;
	strcpy(config->host_log, "/sentinel/host");
	strcpy(config->audit_rules, "/sentinel/rules");
}

static void assert_sentinel(const struct canister_config *config)
{
	struct canister_config sentinel;

	fill_sentinel(&sentinel);
	assert_memory_equal(config, &sentinel, sizeof(sentinel));
}

static int parse_len(const char *text, size_t len, struct canister_config *config, char *err,
		     size_t err_len)
{
	return canister_config_parse(text, len, SOURCE, config, err, err_len);
}

static int parse(const char *text, struct canister_config *config, char *err, size_t err_len)
{
	return parse_len(text, strlen(text), config, err, err_len);
}

/* The text must be refused with exactly @message, and the output left alone. */
static void expect_error(const char *text, const char *message)
{
	struct canister_config config;
	char err[512] = "";

	fill_sentinel(&config);
	if (parse(text, &config, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted: \"%s\"", text);
	assert_string_equal(err, message);
	assert_sentinel(&config);
}

static void expect_error_prefix(const char *text, const char *prefix, const char *reason)
{
	struct canister_config config;
	char err[512] = "";

	fill_sentinel(&config);
	if (parse(text, &config, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted: \"%s\"", text);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, reason))
		fail_msg("\"%s\": got \"%s\", expected \"%s...%s\"", text, err, prefix, reason);
	assert_sentinel(&config);
}

static void test_defaults_are_the_documented_ones(void **state)
{
	struct canister_config config;

	fill_sentinel(&config);
	canister_config_defaults(&config);
	assert_string_equal(config.pin_path, "/sys/fs/bpf/canister");
	assert_string_equal(config.control_socket, "/run/canister/control.sock");
	assert_string_equal(config.log_file, "/var/log/canister/canisterd.log");
	/* canisterd's own log rotates as the audit logs do by default. */
	assert_int_equal(config.log_max_bytes, 8 * 1024 * 1024);
	assert_int_equal(config.log_num_logs, 5);
	assert_int_equal(config.mode, CANISTER_MODE_AUTO);
	assert_int_equal(config.log_level, CANISTER_LOG_INFO);
	assert_string_equal(config.audit_log, "/var/log/canister/audit.log");
	assert_int_equal(config.nest_limit, 4);
	assert_int_equal(config.labels_max, 0);
	assert_int_equal(config.join_policy, CANISTER_JOIN_LABEL);
	/* Beside auditd or in its place, whichever the host has. */
	assert_int_equal(config.kernel_audit, CANISTER_KERNEL_AUDIT_AUTO);
	assert_string_equal(config.auditd_plugin_socket, "/run/canister/auditd-plugin.sock");
	assert_string_equal(config.host_log, "/var/log/canister/host.log");
	assert_string_equal(config.audit_rules, "");
	/* auditd.conf's defaults: a tested auditd.conf means the same here. */
	assert_int_equal(config.log_policy.max_log_file_mib, 8);
	assert_int_equal(config.log_policy.num_logs, 5);
	assert_int_equal(config.log_policy.flush, CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC);
	assert_int_equal(config.log_policy.freq, 50);
	assert_int_equal(config.host_log_format, CANISTER_LOG_FORMAT_TEXT);
	assert_string_equal(config.plugin_dir, "");
	assert_int_equal(config.sink_count, 0);
}

static void test_kernel_audit_keys(void **state)
{
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse("kernel_audit = on\nhost_log = /srv/log/host.log\n", &config, err,
			       sizeof(err)),
			 0);
	assert_int_equal(config.kernel_audit, CANISTER_KERNEL_AUDIT_ON);
	assert_string_equal(config.host_log, "/srv/log/host.log");
	assert_string_equal(config.audit_rules, "");
	assert_int_equal(
		parse("audit_rules = /etc/canister/audit.rules\n", &config, err, sizeof(err)), 0);
	assert_string_equal(config.audit_rules, "/etc/canister/audit.rules");
	assert_int_equal(parse("kernel_audit = off\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.kernel_audit, CANISTER_KERNEL_AUDIT_OFF);
	assert_int_equal(parse("kernel_audit = auto\nauditd_plugin_socket = /tmp/x/p.sock\n",
			       &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.kernel_audit, CANISTER_KERNEL_AUDIT_AUTO);
	assert_string_equal(config.auditd_plugin_socket, "/tmp/x/p.sock");
	assert_string_equal(canister_kernel_audit_name(CANISTER_KERNEL_AUDIT_AUTO), "auto");
	expect_error("kernel_audit = yes\n",
		     "test.conf:1: kernel_audit: 'yes' must be auto, on or off");
	expect_error_prefix("auditd_plugin_socket = p.sock\n", "test.conf:1: auditd_plugin_socket",
			    "absolute");
	expect_error_prefix("host_log = host.log\n", "test.conf:1: host_log", "absolute");
}

static void test_integrity_keys(void **state)
{
	struct canister_config config;
	char err[256] = "";

	canister_config_defaults(&config);
	assert_false(config.integrity);
	assert_string_equal(config.integrity_policy, "");
	assert_string_equal(config.integrity_dir, "/run/canister/integrity");
	assert_string_equal(config.access_dir, "/run/canister/access");
	assert_int_equal(config.integrity_deadline_ms, 5000);
	assert_false(config.integrity_fail_closed);
	assert_false(config.integrity_swtpm);
	assert_int_equal(config.integrity_ended_kept, 100);
	assert_int_equal(parse("integrity_ended_kept = 0\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.integrity_ended_kept, 0);
	assert_int_equal(parse("integrity_ended_kept = 100000\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.integrity_ended_kept, 100000);
	expect_error("integrity_ended_kept = 100001\n",
		     "test.conf:1: integrity_ended_kept: '100001' must be a whole number from 0 to "
		     "100000");
	expect_error("integrity_ended_kept = -1\n",
		     "test.conf:1: integrity_ended_kept: '-1' must be a whole number from 0 to "
		     "100000");
	/* An ended container's domain: 60 s in memory, 16 of them at most (docs/model.md). */
	assert_int_equal(config.model_ended_grace, 60);
	assert_int_equal(config.model_ended_kept, 16);
	assert_int_equal(parse("model_ended_grace = 0\nmodel_ended_kept = 4096\n", &config, err,
			       sizeof(err)),
			 0);
	assert_int_equal(config.model_ended_grace, 0);
	assert_int_equal(config.model_ended_kept, 4096);
	expect_error("model_ended_grace = 86401\n",
		     "test.conf:1: model_ended_grace: '86401' must be a whole number from 0 to "
		     "86400");
	expect_error("model_ended_kept = 4097\n",
		     "test.conf:1: model_ended_kept: '4097' must be a whole number from 0 to 4096");
	assert_false(config.integrity_mmap_canisterd_digest);
	assert_int_equal(parse("integrity_mmap_digest = canisterd\n", &config, err, sizeof(err)),
			 0);
	assert_true(config.integrity_mmap_canisterd_digest);
	expect_error("integrity_mmap_digest = ima\n",
		     "test.conf:1: integrity_mmap_digest: 'ima' must be kernel or canisterd");
	assert_int_equal(parse("integrity_tpm = swtpm\n", &config, err, sizeof(err)), 0);
	assert_true(config.integrity_swtpm);
	expect_error("integrity_tpm = tpm\n",
		     "test.conf:1: integrity_tpm: 'tpm' must be none or swtpm");
	assert_int_equal(parse("integrity = on\nintegrity_policy = /etc/canister/ima.policy\n"
			       "integrity_dir = /srv/ima\nintegrity_deadline_ms = 10\n"
			       "integrity_fail = closed\n",
			       &config, err, sizeof(err)),
			 0);
	assert_true(config.integrity);
	assert_string_equal(config.integrity_policy, "/etc/canister/ima.policy");
	assert_string_equal(config.integrity_dir, "/srv/ima");
	assert_string_equal(config.integrity_keys, "");
	assert_int_equal(config.integrity_deadline_ms, 10);
	assert_true(config.integrity_fail_closed);
	expect_error("integrity = yes\n", "test.conf:1: integrity: 'yes' must be on or off");
	expect_error("integrity_fail = shut\n",
		     "test.conf:1: integrity_fail: 'shut' must be open or closed");
	expect_error_prefix("integrity_deadline_ms = 9\n", "test.conf:1: integrity_deadline_ms",
			    "10");
	expect_error_prefix("integrity_policy = ima.policy\n", "test.conf:1: integrity_policy",
			    "absolute");
	assert_int_equal(
		parse("integrity_keys = /etc/canister/ima-keys\n", &config, err, sizeof(err)), 0);
	assert_string_equal(config.integrity_keys, "/etc/canister/ima-keys");
	expect_error_prefix("integrity_keys = keys\n", "test.conf:1: integrity_keys", "absolute");
}

/* The access policy of a container that brings none (docs/access.md, "The default policy"). */
static void test_access_policy_default(void **state)
{
	struct canister_config config;
	char err[256] = "";

	(void)state;
	canister_config_defaults(&config);
	assert_string_equal(config.access_policy, "");
	assert_int_equal(config.access_policy_mode, CANISTER_ACCESS_ENFORCE);
	assert_int_equal(parse("access_policy = /etc/canister/default.policy\n"
			       "access_policy_mode = complain\n",
			       &config, err, sizeof(err)),
			 0);
	assert_string_equal(config.access_policy, "/etc/canister/default.policy");
	assert_int_equal(config.access_policy_mode, CANISTER_ACCESS_COMPLAIN);
	expect_error("access_policy_mode = deny\n",
		     "test.conf:1: access_policy_mode: 'deny' must be enforce or complain");
	expect_error_prefix("access_policy = default.policy\n", "test.conf:1: access_policy",
			    "absolute");
}

/* The appraisal of a container that brings none of its own (docs/integrity.md). */
static void test_integrity_appraisal_defaults(void **state)
{
	struct canister_config config;
	char err[256] = "";

	(void)state;
	canister_config_defaults(&config);
	assert_int_equal(config.integrity_appraise, CANISTER_APPRAISE_OFF);
	assert_string_equal(config.integrity_container_keys, "");
	assert_false(config.integrity_host_keys);
	assert_int_equal(parse("integrity_appraise = enforce\n"
			       "integrity_container_keys = /etc/canister/container-keys\n"
			       "integrity_host_keys = yes\n",
			       &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.integrity_appraise, CANISTER_APPRAISE_ENFORCE);
	assert_string_equal(config.integrity_container_keys, "/etc/canister/container-keys");
	assert_true(config.integrity_host_keys);
	assert_int_equal(parse("integrity_appraise = log\nintegrity_host_keys = no\n", &config, err,
			       sizeof(err)),
			 0);
	assert_int_equal(config.integrity_appraise, CANISTER_APPRAISE_LOG);
	assert_false(config.integrity_host_keys);
	assert_int_equal(parse("integrity_appraise = off\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.integrity_appraise, CANISTER_APPRAISE_OFF);

	/* Refused with the key, the value and the words taken; nothing set. */
	expect_error("integrity_appraise = on\n",
		     SOURCE ":1: integrity_appraise: 'on' must be off, log or enforce");
	expect_error("integrity_appraise = Enforce\n",
		     SOURCE ":1: integrity_appraise: 'Enforce' must be off, log or enforce");
	expect_error("integrity_host_keys = true\n",
		     SOURCE ":1: integrity_host_keys: 'true' must be yes or no");
	expect_error_prefix("integrity_container_keys = keys\n",
			    SOURCE ":1: integrity_container_keys", "absolute");
	expect_error_prefix("integrity_container_keys = /etc/canister/../keys\n",
			    SOURCE ":1: integrity_container_keys", "'..'");
	expect_error_prefix("integrity_container_keys = /etc/keys/\n",
			    SOURCE ":1: integrity_container_keys", "trailing");
	/* A good line before a bad one is not applied either. */
	expect_error("integrity_appraise = enforce\nintegrity_appraise = log\n",
		     SOURCE ":2: 'integrity_appraise' is already set on line 1");
	expect_error("integrity_container_keys = /k\nintegrity_host_keys = maybe\n",
		     SOURCE ":2: integrity_host_keys: 'maybe' must be yes or no");
}

static void test_container_keys(void **state)
{
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse("audit_log = /srv/audit/canister.log\nnest_limit = 20\n"
			       "join_policy = record\n",
			       &config, err, sizeof(err)),
			 0);
	assert_string_equal(config.audit_log, "/srv/audit/canister.log");
	assert_int_equal(config.nest_limit, 20);
	assert_int_equal(config.join_policy, CANISTER_JOIN_RECORD);
	assert_int_equal(parse("nest_limit = 1\njoin_policy = label\n", &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.nest_limit, 1);
	assert_int_equal(config.join_policy, CANISTER_JOIN_LABEL);

	expect_error("nest_limit = 0\n",
		     "test.conf:1: nest_limit: '0' must be a whole number from 1 to 20");
	expect_error("nest_limit = 21\n",
		     "test.conf:1: nest_limit: '21' must be a whole number from 1 to 20");
	expect_error("nest_limit = -3\n",
		     "test.conf:1: nest_limit: '-3' must be a whole number from 1 to 20");
	expect_error("nest_limit = 0x4\n",
		     "test.conf:1: nest_limit: '0x4' must be a whole number from 1 to 20");
	assert_int_equal(parse("labels_max = 16\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.labels_max, 16);
	assert_int_equal(parse("labels_max = 4194304\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.labels_max, 4194304);
	assert_int_equal(parse("labels_max = auto\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.labels_max, 0);
	expect_error("labels_max = 15\n",
		     "test.conf:1: labels_max: '15' must be auto (the host's kernel.pid_max) or a "
		     "whole number from 16 to 4194304");
	expect_error("labels_max = 4194305\n",
		     "test.conf:1: labels_max: '4194305' must be auto (the host's kernel.pid_max) "
		     "or a whole number from 16 to 4194304");
	expect_error("labels_max = 0x100\n",
		     "test.conf:1: labels_max: '0x100' must be auto (the host's kernel.pid_max) or "
		     "a whole number from 16 to 4194304");
	expect_error(
		"labels_max = Auto\n",
		"test.conf:1: labels_max: 'Auto' must be auto (the host's kernel.pid_max) or a "
		"whole number from 16 to 4194304");
	expect_error("join_policy = Label\n",
		     "test.conf:1: join_policy: 'Label' must be one of label, record");
	expect_error_prefix("audit_log = relative.log\n", "test.conf:1: audit_log", "absolute");
}

/* The control socket's limits: defaults, ranges, and the reserve below the total. */
static void test_control_keys(void **state)
{
	struct canister_config config;
	char err[256];

	assert_int_equal(parse("", &config, err, sizeof(err)), 0);
	assert_int_equal(config.control.connections, 64);
	assert_int_equal(config.control.host_reserve, 16);
	assert_int_equal(config.control.connections_per_container, 8);
	assert_int_equal(config.control.connections_per_uid, 8);
	assert_int_equal(config.control.requests_per_second, 20);
	assert_int_equal(config.control.request_burst, 40);
	assert_int_equal(config.control.idle_timeout, 30);
	assert_int_equal(config.control.refusal_records_per_minute, 30);
	assert_int_equal(config.control.refusal_summary_interval, 10);
	assert_int_equal(parse("control_connections = 200\ncontrol_host_reserve = 50\n"
			       "control_idle_timeout = 0\n",
			       &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.control.connections, 200);
	assert_int_equal(config.control.host_reserve, 50);
	assert_int_equal(config.control.idle_timeout, 0);

	expect_error("control_connections = 1\n",
		     "test.conf:1: control_connections: '1' must be a whole number from 2 to 512");
	expect_error("control_requests_per_second = 0\n",
		     "test.conf:1: control_requests_per_second: '0' must be a whole number from 1 "
		     "to 100000");
	expect_error(
		"control_idle_timeout = -1\n",
		"test.conf:1: control_idle_timeout: '-1' must be a whole number from 0 to 86400");
	/* The host's reserve must leave the others something. */
	expect_error(
		"control_host_reserve = 64\n",
		"test.conf:1: control_host_reserve (64) must be below control_connections (64)");
	expect_error(
		"control_host_reserve = 10\ncontrol_connections = 10\n",
		"test.conf:1: control_host_reserve (10) must be below control_connections (10)");
	expect_error(
		"control_connections = 10\n",
		"test.conf:1: control_host_reserve (16) must be below control_connections (10)");
}

static void test_empty_and_comment_only_text_gives_defaults(void **state)
{
	static const char *const texts[] = {
		"",
		"\n\n\n",
		"# canisterd configuration\n\n   # indented comment\n\t\n",
		"# no newline at the end",
	};
	struct canister_config defaults;

	canister_config_defaults(&defaults);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct canister_config config;
		char err[256] = "";

		fill_sentinel(&config);
		assert_int_equal(parse(texts[i], &config, err, sizeof(err)), 0);
		assert_memory_equal(&config, &defaults, sizeof(defaults));
	}
}

static void test_parses_every_key(void **state)
{
	const char *text = "# all keys\n"
			   "pin_path = /sys/fs/bpf/other\n"
			   "control_socket=/run/other.sock\n"
			   "\tlog_file\t=\t/var/log/other.log  \n"
			   "  mode =   lsm\n"
			   "log_level = debug";
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
	assert_string_equal(config.pin_path, "/sys/fs/bpf/other");
	assert_string_equal(config.control_socket, "/run/other.sock");
	assert_string_equal(config.log_file, "/var/log/other.log");
	assert_int_equal(config.mode, CANISTER_MODE_LSM);
	assert_int_equal(config.log_level, CANISTER_LOG_DEBUG);
}

/* Keys not mentioned keep their defaults. */
static void test_partial_config_keeps_other_defaults(void **state)
{
	struct canister_config config, expected;
	char err[256] = "";

	canister_config_defaults(&expected);
	expected.mode = CANISTER_MODE_TRACE;
	assert_int_equal(parse("mode = trace\n", &config, err, sizeof(err)), 0);
	assert_memory_equal(&config, &expected, sizeof(expected));
}

/* A file edited on Windows must mean the same, not carry '\r' into a path. */
static void test_crlf_line_endings(void **state)
{
	const char *text = "# edited elsewhere\r\n"
			   "\r\n"
			   "pin_path = /sys/fs/bpf/crlf\r\n"
			   "mode = trace\r\n"
			   "log_level = warning\r\n";
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
	assert_string_equal(config.pin_path, "/sys/fs/bpf/crlf");
	assert_int_equal(config.mode, CANISTER_MODE_TRACE);
	assert_int_equal(config.log_level, CANISTER_LOG_WARNING);

	expect_error("\r\nbogus = 1\r\n", SOURCE ":2: unknown key 'bogus'");
}

/* Line numbers count blank and comment lines: they are what an editor shows. */
static void test_unknown_key_names_its_line(void **state)
{
	expect_error("# comment\n\ncolour = blue\nmode = lsm\n", SOURCE ":3: unknown key 'colour'");
	expect_error("mode = lsm\nModE = lsm\n", SOURCE ":2: expected 'key = value'");
}

static void test_duplicate_key_names_first_line(void **state)
{
	expect_error("# first\nmode = trace\nlog_level = info\nmode = lsm\n",
		     SOURCE ":4: 'mode' is already set on line 2");
	/* Even the same value twice: the second line is a mistake someone will edit. */
	expect_error("pin_path = /a\npin_path = /a\n",
		     SOURCE ":2: 'pin_path' is already set on line 1");
}

static void test_malformed_lines(void **state)
{
	static const char *const texts[] = {
		"mode lsm\n",	   "= lsm\n", "mode: lsm\n",	  "Mode = lsm\n",
		"pin-path = /x\n", "mode\n",  "\"mode\" = lsm\n",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char text[64];

		/* On the second line, so that the line number is checked as well. */
		snprintf(text, sizeof(text), "log_level = info\n%s", texts[i]);
		expect_error(text, SOURCE ":2: expected 'key = value'");
	}
}

static void test_empty_value_is_refused(void **state)
{
	expect_error("mode =\n", SOURCE ":1: 'mode' has no value");
	expect_error("pin_path = \t \r\n", SOURCE ":1: 'pin_path' has no value");
}

/* No inline comments and no case folding: what is not exactly a value is refused. */
/* A trailing "# note" would otherwise become part of a path. */
static void test_comment_inside_value_is_refused(void **state)
{
	expect_error("log_level = info\npin_path = /sys/fs/bpf/x # note\n",
		     SOURCE ":2: '#' inside a value; comments go on lines of their own");
	expect_error("mode = trace#lsm\n",
		     SOURCE ":1: '#' inside a value; comments go on lines of their own");
}

static void test_enum_values_are_exact(void **state)
{
	expect_error("mode = LSM\n", SOURCE ":1: mode: 'LSM' must be one of auto, trace, lsm");
	expect_error("mode = lsm strict\n",
		     SOURCE ":1: mode: 'lsm strict' must be one of auto, trace, lsm");
	expect_error("log_level = verbose\n",
		     SOURCE ":1: log_level: 'verbose' must be one of error, warning, info, debug");
}

/* Each name the daemon prints is a value the parser accepts, for the same setting. */
static void test_mode_and_level_names_round_trip(void **state)
{
	for (int mode = CANISTER_MODE_AUTO; mode <= CANISTER_MODE_LSM; mode++) {
		struct canister_config config;
		char text[64], err[256] = "";

		snprintf(text, sizeof(text), "mode = %s\n", canister_mode_name(mode));
		assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
		assert_int_equal(config.mode, mode);
	}
	for (int level = CANISTER_LOG_ERROR; level <= CANISTER_LOG_DEBUG; level++) {
		struct canister_config config;
		char text[64], err[256] = "";

		snprintf(text, sizeof(text), "log_level = %s\n", canister_log_level_name(level));
		assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
		assert_int_equal(config.log_level, level);
	}
	assert_string_equal(canister_mode_name(CANISTER_MODE_LSM + 1), "?");
	assert_string_equal(canister_log_level_name(CANISTER_LOG_DEBUG + 1), "?");
	assert_string_equal(canister_log_level_name((enum canister_log_level) - 1), "?");
}

static void test_paths_must_be_absolute_and_canonical(void **state)
{
	static const struct {
		const char *value;
		const char *reason;
	} cases[] = {
		{ "sys/fs/bpf/canister", "must be an absolute path" },
		{ "./canister", "must be an absolute path" },
		{ "~/canister", "must be an absolute path" },
		{ "/", "without a trailing '/'" },
		{ "/sys/fs/bpf/canister/", "without a trailing '/'" },
		{ "/sys//fs/bpf", "must not contain '//'" },
		{ "/sys/fs/bpf/../../etc", "must not contain '.' or '..' components" },
		{ "/sys/fs/bpf/..", "must not contain '.' or '..' components" },
		{ "/sys/./fs", "must not contain '.' or '..' components" },
		{ "/sys/fs/bpf/.", "must not contain '.' or '..' components" },
		{ "/..", "must not contain '.' or '..' components" },
	};
	static const char *const keys[] = { "pin_path", "control_socket", "log_file",
					    "plugin_dir" };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			char text[128], prefix[128];

			snprintf(text, sizeof(text), "# paths\n%s = %s\n", keys[k], cases[i].value);
			snprintf(prefix, sizeof(prefix), SOURCE ":2: %s: '%s' ", keys[k],
				 cases[i].value);
			expect_error_prefix(text, prefix, cases[i].reason);
		}
	}
}

/* Dots inside a name are not components; refusing them would refuse real paths. */
static void test_paths_with_dotted_names_are_accepted(void **state)
{
	static const char *const values[] = { "/run/.canister", "/run/..canister",
					      "/run/canister..", "/run/canister.d/x.sock", "/a" };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct canister_config config;
		char text[128], err[256] = "";

		snprintf(text, sizeof(text), "control_socket = %s\n", values[i]);
		if (parse(text, &config, err, sizeof(err)) != 0)
			fail_msg("refused %s: %s", values[i], err);
		assert_string_equal(config.control_socket, values[i]);
	}
}

/* Builds "KEY = /aaa...a" with a path of exactly @path_len bytes. */
static void path_line(char *text, size_t size, const char *key, size_t path_len, char *path)
{
	memset(path, 'a', path_len);
	path[0] = '/';
	path[path_len] = '\0';
	snprintf(text, size, "%s = %s\n", key, path);
}

/* The socket path must fit sun_path with its NUL, or bind() would fail at start. */
static void test_control_socket_length_limit(void **state)
{
	const size_t max = sizeof(((struct canister_config *)0)->control_socket) - 1;
	struct canister_config config;
	char text[512], path[256], err[512] = "";

	assert_int_equal(max, 107);
	path_line(text, sizeof(text), "control_socket", max, path);
	assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
	assert_string_equal(config.control_socket, path);

	path_line(text, sizeof(text), "control_socket", max + 1, path);
	expect_error_prefix(text, SOURCE ":1: control_socket: '/aaa", "path is too long");
}

static void test_pin_path_and_log_file_length_limit(void **state)
{
	static const char *const keys[] = { "pin_path", "log_file" };

	for (size_t k = 0; k < 2; k++) {
		struct canister_config config;
		char text[512], path[CANISTER_CONFIG_PATH_MAX + 1], err[1024] = "";

		path_line(text, sizeof(text), keys[k], CANISTER_CONFIG_PATH_MAX - 1, path);
		assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
		assert_string_equal(k ? config.log_file : config.pin_path, path);

		path_line(text, sizeof(text), keys[k], CANISTER_CONFIG_PATH_MAX, path);
		expect_error_prefix(text, SOURCE ":1: ", "path is too long");
	}
}

/* A NUL byte means a binary file or an editor accident; the line shown must be the one holding it.
 */
static void test_nul_byte_is_refused_on_its_line(void **state)
{
	static const char text[] = "# header\nmode = lsm\nlog_level = in\0fo\n";
	struct canister_config config;
	char err[256] = "";

	fill_sentinel(&config);
	assert_int_equal(parse_len(text, sizeof(text) - 1, &config, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, SOURCE ":3: contains a NUL byte; not a text file");
	assert_sentinel(&config);
}

static void test_over_long_line_is_refused(void **state)
{
	struct canister_config config;
	char text[2048], err[256] = "";

	/* 1023 bytes of comment fit the line buffer with its NUL... */
	memset(text, '#', 1023);
	strcpy(text + 1023, "\nmode = lsm\n");
	assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
	assert_int_equal(config.mode, CANISTER_MODE_LSM);

	/* ...one more byte, on the second line, does not. */
	snprintf(text, sizeof(text), "mode = lsm\n");
	memset(text + strlen(text), '#', 1024);
	text[11 + 1024] = '\0';
	expect_error(text, SOURCE ":2: line is longer than 1023 bytes");
}

/* The first faulty line is reported and nothing from the lines before it is kept. */
static void test_first_error_wins_and_output_untouched(void **state)
{
	expect_error("pin_path = /sys/fs/bpf/x\nmode = bogus\nlog_level = verbose\n",
		     SOURCE ":2: mode: 'bogus' must be one of auto, trace, lsm");
}

/* A short buffer gets a truncated, terminated message; a NULL one gets none, without crashing. */
static void test_error_buffer_is_bounded(void **state)
{
	struct canister_config config;
	char err[12];

	memset(err, 'x', sizeof(err));
	assert_int_equal(parse("colour = blue\n", &config, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "test.conf:1");
	assert_int_equal(parse("colour = blue\n", &config, NULL, 0), -EINVAL);
}

/* Writes @text to a new file in the test's directory with @mode; returns its path. */
static const char *write_file(const char *name, const char *text, size_t len, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void test_load_reads_safe_file(void **state)
{
	static const char text[] = "mode = trace\nlog_file = /tmp/canisterd.log\n";
	/* Readable by all is fine: only who can write it matters. */
	const char *path = write_file("ok.conf", text, sizeof(text) - 1, 0644);
	struct canister_config config;
	char err[512] = "";

	assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), 0);
	assert_int_equal(config.mode, CANISTER_MODE_TRACE);
	assert_string_equal(config.log_file, "/tmp/canisterd.log");
	assert_string_equal(config.pin_path, CANISTER_DEFAULT_PIN_PATH);
}

/* The daemon runs on defaults when the file is absent; that is not an error it prints. */
static void test_load_missing_file_is_enoent(void **state)
{
	struct canister_config config;
	char path[128], err[512] = "";

	snprintf(path, sizeof(path), "%s/absent.conf", tmpdir);
	fill_sentinel(&config);
	assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), -ENOENT);
	assert_sentinel(&config);
}

static void test_load_refuses_group_or_world_writable(void **state)
{
	static const char text[] = "mode = lsm\n";
	static const struct {
		mode_t mode;
		const char *shown;
	} modes[] = { { 0620, "mode 0620" }, { 0602, "mode 0602" }, { 0666, "mode 0666" } };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *path =
			write_file("writable.conf", text, sizeof(text) - 1, modes[i].mode);
		struct canister_config config;
		char err[512] = "";

		fill_sentinel(&config);
		assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), -EPERM);
		assert_sentinel(&config);
		assert_true(strncmp(err, path, strlen(path)) == 0);
		assert_non_null(strstr(err, modes[i].shown));
	}
}

/*
 * A file someone else owns is refused even with a strict mode.  As root the
 * test gives its file away; otherwise a root-owned system file serves.
 */
static void test_load_refuses_file_owned_by_someone_else(void **state)
{
	static const char text[] = "mode = lsm\n";
	struct canister_config config;
	char err[512] = "";
	const char *path;

	if (geteuid() == 0) {
		path = write_file("foreign.conf", text, sizeof(text) - 1, 0644);
		assert_int_equal(chown(path, 65534, 65534), 0);
	} else {
		path = "/etc/passwd";
	}
	fill_sentinel(&config);
	assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), -EPERM);
	assert_sentinel(&config);
	assert_non_null(strstr(err, "must be owned by uid"));
}

/* O_NOFOLLOW: a symlink could point the daemon at a file its author controls. */
static void test_load_refuses_symlink(void **state)
{
	static const char text[] = "mode = lsm\n";
	const char *target = write_file("real.conf", text, sizeof(text) - 1, 0600);
	struct canister_config config;
	char link[128], err[512] = "";

	snprintf(link, sizeof(link), "%s/link.conf", tmpdir);
	assert_int_equal(symlink(target, link), 0);
	fill_sentinel(&config);
	assert_int_equal(canister_config_load(link, &config, err, sizeof(err)), -ELOOP);
	assert_sentinel(&config);
	assert_true(strncmp(err, link, strlen(link)) == 0);
}

static void test_load_refuses_directory(void **state)
{
	struct canister_config config;
	char err[512] = "";

	fill_sentinel(&config);
	assert_int_equal(canister_config_load(tmpdir, &config, err, sizeof(err)), -EINVAL);
	assert_sentinel(&config);
	assert_non_null(strstr(err, "not a regular file"));
}

static void alarm_fired(int sig)
{
}

/*
 * Opening a FIFO for reading waits for a writer: a daemon reloading it would
 * hang.  The alarm interrupts such an open (no SA_RESTART), which then fails
 * with EINTR instead of the refusal.
 */
static void test_load_refuses_fifo_without_blocking(void **state)
{
	struct sigaction action = { .sa_handler = alarm_fired }, previous;
	struct canister_config config;
	char path[128], err[512] = "";
	int r;

	snprintf(path, sizeof(path), "%s/fifo.conf", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(sigaction(SIGALRM, &action, &previous), 0);
	alarm(2);
	r = canister_config_load(path, &config, err, sizeof(err));
	alarm(0);
	sigaction(SIGALRM, &previous, NULL);
	assert_int_equal(r, -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
}

static void test_load_size_limit(void **state)
{
	char *text = malloc(CANISTER_CONFIG_MAX_BYTES + 1);
	struct canister_config config;
	char err[512] = "";
	const char *path;

	assert_non_null(text);
	/* Exactly the limit, as comment lines short enough for the line buffer. */
	for (size_t i = 0; i < CANISTER_CONFIG_MAX_BYTES + 1; i++)
		text[i] = i % 64 == 63 ? '\n' : '#';
	path = write_file("max.conf", text, CANISTER_CONFIG_MAX_BYTES, 0600);
	assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), 0);

	path = write_file("big.conf", text, CANISTER_CONFIG_MAX_BYTES + 1, 0600);
	fill_sentinel(&config);
	assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), -EFBIG);
	assert_sentinel(&config);
	assert_non_null(strstr(err, "larger than 65536 bytes"));
	free(text);
}

/* Errors inside the file name the file itself, as an editor or grep -n would. */
static void test_load_syntax_error_names_path_and_line(void **state)
{
	static const char text[] = "mode = lsm\n\nlog_level = loud\n";
	const char *path = write_file("bad.conf", text, sizeof(text) - 1, 0600);
	struct canister_config config;
	char expected[256], err[512] = "";

	snprintf(expected, sizeof(expected),
		 "%s:3: log_level: 'loud' must be one of error, warning, info, debug", path);
	fill_sentinel(&config);
	assert_int_equal(canister_config_load(path, &config, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, expected);
	assert_sentinel(&config);
}

static void test_restart_keys_none_when_equal(void **state)
{
	struct canister_config old, new_config;
	char buf[128];

	canister_config_defaults(&old);
	canister_config_defaults(&new_config);
	memset(buf, 'x', sizeof(buf));
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

/* log_level applies on reload, so changing it must not ask for a restart. */
static void test_restart_keys_ignore_log_level(void **state)
{
	struct canister_config old, new_config;
	char buf[128];

	canister_config_defaults(&old);
	new_config = old;
	new_config.log_level = CANISTER_LOG_DEBUG;
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_restart_keys_lists_changed_keys_in_order(void **state)
{
	struct canister_config old, new_config;
	char buf[128];

	canister_config_defaults(&old);
	new_config = old;
	new_config.mode = CANISTER_MODE_LSM;
	strcpy(new_config.pin_path, "/sys/fs/bpf/other");
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "pin_path, mode");

	strcpy(new_config.control_socket, "/run/other.sock");
	strcpy(new_config.log_file, "/var/log/other.log");
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "pin_path, control_socket, log_file, mode");

	/* A short buffer holds a terminated prefix, never overruns. */
	memset(buf, 'x', sizeof(buf));
	canister_config_restart_keys(&old, &new_config, buf, 12);
	assert_true(strlen(buf) < 12);
	assert_int_equal(buf[12], 'x');
}

static void test_log_policy_keys(void **state)
{
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse("max_log_file = 0\nnum_logs = 99\nflush = data\nfreq = 10000\n",
			       &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.log_policy.max_log_file_mib, 0);
	assert_int_equal(config.log_policy.num_logs, 99);
	assert_int_equal(config.log_policy.flush, CANISTER_AUDIT_FLUSH_DATA);
	assert_int_equal(config.log_policy.freq, 10000);
	assert_int_equal(
		parse("max_log_file = 4096\nnum_logs = 2\nfreq = 1\n", &config, err, sizeof(err)),
		0);
	assert_int_equal(config.log_policy.max_log_file_mib, 4096);
	assert_int_equal(config.log_policy.num_logs, 2);
	assert_int_equal(config.log_policy.freq, 1);

	expect_error("max_log_file = 4097\n", SOURCE
		     ":1: max_log_file: '4097' must be a whole number of MiB from 0 to 4096");
	expect_error("max_log_file = 8M\n",
		     SOURCE ":1: max_log_file: '8M' must be a whole number of MiB from 0 to 4096");
	expect_error("max_log_file = -1\n",
		     SOURCE ":1: max_log_file: '-1' must be a whole number of MiB from 0 to 4096");
	expect_error("num_logs = 1\n",
		     SOURCE ":1: num_logs: '1' must be a whole number from 2 to 99");
	expect_error("num_logs = 100\n",
		     SOURCE ":1: num_logs: '100' must be a whole number from 2 to 99");
	expect_error("freq = 0\n", SOURCE ":1: freq: '0' must be a whole number from 1 to 10000");
	expect_error("freq = 10001\n",
		     SOURCE ":1: freq: '10001' must be a whole number from 1 to 10000");
	expect_error("freq = 020x\n",
		     SOURCE ":1: freq: '020x' must be a whole number from 1 to 10000");
	expect_error("flush = always\n",
		     SOURCE ":1: flush: 'always' must be one of none, incremental, "
			    "incremental_async, data, sync");
	expect_error("max_log_file = 8\nmax_log_file = 9\n",
		     SOURCE ":2: 'max_log_file' is already set on line 1");
}

/* canisterd's own log: MiB as max_log_file, or KiB with a K suffix; 0 never rotates. */
static void test_daemon_log_rotation_keys(void **state)
{
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse("log_max_file = 2\nlog_num_logs = 3\n", &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.log_max_bytes, 2 * 1024 * 1024);
	assert_int_equal(config.log_num_logs, 3);
	/* The audit logs' keys are others: they keep their defaults. */
	assert_int_equal(config.log_policy.max_log_file_mib, 8);
	assert_int_equal(config.log_policy.num_logs, 5);
	assert_int_equal(parse("log_max_file = 64K\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.log_max_bytes, 64 * 1024);
	assert_int_equal(config.log_num_logs, 5);
	assert_int_equal(parse("log_max_file = 1k\nlog_num_logs = 99\n", &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.log_max_bytes, 1024);
	assert_int_equal(config.log_num_logs, 99);
	assert_int_equal(parse("log_max_file = 0\nlog_num_logs = 2\n", &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.log_max_bytes, 0);
	assert_int_equal(config.log_num_logs, 2);
	assert_int_equal(parse("log_max_file = 4194304K\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.log_max_bytes, 4096ULL * 1024 * 1024);
	assert_int_equal(parse("log_max_file = 4096\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.log_max_bytes, 4096ULL * 1024 * 1024);

#define LOG_MAX_FILE_REASON \
	"must be a whole number of MiB from 0 to 4096, or of KiB with a K suffix (64K)"
	expect_error("log_max_file = 4097\n",
		     SOURCE ":1: log_max_file: '4097' " LOG_MAX_FILE_REASON);
	expect_error("log_max_file = 4194305K\n",
		     SOURCE ":1: log_max_file: '4194305K' " LOG_MAX_FILE_REASON);
	expect_error("log_max_file = 8M\n", SOURCE ":1: log_max_file: '8M' " LOG_MAX_FILE_REASON);
	expect_error("log_max_file = K\n", SOURCE ":1: log_max_file: 'K' " LOG_MAX_FILE_REASON);
	expect_error("log_max_file = -1K\n", SOURCE ":1: log_max_file: '-1K' " LOG_MAX_FILE_REASON);
	expect_error("log_max_file = 64KK\n",
		     SOURCE ":1: log_max_file: '64KK' " LOG_MAX_FILE_REASON);
	expect_error("log_max_file = 12345678901234567890K\n",
		     SOURCE ":1: log_max_file: '12345678901234567890K' " LOG_MAX_FILE_REASON);
	expect_error("log_num_logs = 1\n",
		     SOURCE ":1: log_num_logs: '1' must be a whole number from 2 to 99");
	expect_error("log_num_logs = 100\n",
		     SOURCE ":1: log_num_logs: '100' must be a whole number from 2 to 99");
	expect_error("log_num_logs = 5\nlog_num_logs = 5\n",
		     SOURCE ":2: 'log_num_logs' is already set on line 1");
#undef LOG_MAX_FILE_REASON
}

/* auditd.conf spells flush values in upper case; a copied line must mean the same here. */
static void test_flush_names_in_any_case(void **state)
{
	static const struct {
		const char *text;
		enum canister_audit_flush flush;
	} cases[] = {
		{ "none", CANISTER_AUDIT_FLUSH_NONE },
		{ "NONE", CANISTER_AUDIT_FLUSH_NONE },
		{ "incremental", CANISTER_AUDIT_FLUSH_INCREMENTAL },
		{ "INCREMENTAL_ASYNC", CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC },
		{ "Data", CANISTER_AUDIT_FLUSH_DATA },
		{ "SYNC", CANISTER_AUDIT_FLUSH_SYNC },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct canister_config config;
		char text[64], err[256] = "";

		snprintf(text, sizeof(text), "flush = %s\n", cases[i].text);
		assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
		assert_int_equal(config.log_policy.flush, cases[i].flush);
	}
	/* Each printed name reads back as itself. */
	for (int flush = CANISTER_AUDIT_FLUSH_NONE; flush <= CANISTER_AUDIT_FLUSH_SYNC; flush++) {
		struct canister_config config;
		char text[64], err[256] = "";

		snprintf(text, sizeof(text), "flush = %s\n", canister_audit_flush_name(flush));
		assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
		assert_int_equal(config.log_policy.flush, flush);
	}
	assert_string_equal(canister_audit_flush_name(CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC),
			    "incremental_async");
	assert_string_equal(canister_audit_flush_name(CANISTER_AUDIT_FLUSH_SYNC + 1), "?");
}

static void test_host_log_format_and_plugin_dir(void **state)
{
	struct canister_config config;
	char err[256] = "";

	assert_int_equal(parse("host_log_format = json\nplugin_dir = /etc/canister/plugins.d\n",
			       &config, err, sizeof(err)),
			 0);
	assert_int_equal(config.host_log_format, CANISTER_LOG_FORMAT_JSON);
	assert_string_equal(config.plugin_dir, "/etc/canister/plugins.d");
	assert_int_equal(parse("host_log_format = text\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.host_log_format, CANISTER_LOG_FORMAT_TEXT);
	assert_string_equal(config.plugin_dir, "");

	expect_error("host_log_format = JSON\n",
		     SOURCE ":1: host_log_format: 'JSON' must be one of text, json");
	expect_error("plugin_dir = plugins.d\n",
		     SOURCE ":1: plugin_dir: 'plugins.d' must be an absolute path");
}

static void test_audit_sink_every_option(void **state)
{
	const char *text = "audit_sink = 42 log=/var/log/canister/c42.log "
			   "rules=/etc/canister/c42.rules\tbacklog=1000000 format=json "
			   "socket=/run/canister/c42.sock max_log_file=64 num_logs=9 "
			   "backlog_bytes=1073741824\r\n"
			   "audit_sink = 18446744073709551614 log=/var/log/canister/last.log\n"
			   "audit_sink = 1 format=text backlog=1 log=/c1.log\r socket=/c1 "
			   "backlog_bytes=65536\n";
	struct canister_config config;
	char err[256] = "";

	if (parse(text, &config, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(config.sink_count, 3);
	assert_int_equal(config.sinks[0].contid, 42);
	assert_string_equal(config.sinks[0].log, "/var/log/canister/c42.log");
	assert_string_equal(config.sinks[0].rules, "/etc/canister/c42.rules");
	assert_string_equal(config.sinks[0].socket, "/run/canister/c42.sock");
	assert_int_equal(config.sinks[0].backlog, 1000000);
	assert_int_equal(config.sinks[0].backlog_bytes, 1u << 30);
	assert_int_equal(config.sinks[0].format, CANISTER_LOG_FORMAT_JSON);
	assert_int_equal(config.sinks[0].policy.max_log_file_mib, 64);
	assert_int_equal(config.sinks[0].policy.num_logs, 9);
	assert_int_equal(config.sinks[0].policy.flush, CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC);
	assert_int_equal(config.sinks[0].policy.freq, 50);

	/* Only log= given: every default, and the global policy. */
	assert_true(config.sinks[1].contid == UINT64_MAX - 1);
	assert_string_equal(config.sinks[1].log, "/var/log/canister/last.log");
	assert_string_equal(config.sinks[1].rules, "");
	assert_string_equal(config.sinks[1].socket, "");
	assert_int_equal(config.sinks[1].backlog, 8192);
	assert_int_equal(config.sinks[1].backlog_bytes, 8u << 20);
	assert_int_equal(config.sinks[1].format, CANISTER_LOG_FORMAT_TEXT);
	assert_memory_equal(&config.sinks[1].policy, &config.log_policy, sizeof(config.log_policy));

	/* Options in any order. */
	assert_int_equal(config.sinks[2].contid, 1);
	assert_string_equal(config.sinks[2].log, "/c1.log");
	assert_int_equal(config.sinks[2].backlog, 1);
	assert_int_equal(config.sinks[2].backlog_bytes, 65536);
	/* A stray '\r' inside the line separates, as at its end: no path ends in one. */
	assert_string_equal(config.sinks[2].socket, "/c1");
}

/* The global policy is the one the whole file sets, even below the sink lines. */
static void test_audit_sink_policy_is_inherited_at_the_end(void **state)
{
	const char *text = "audit_sink = 7 log=/s/7.log\n"
			   "audit_sink = 8 log=/s/8.log max_log_file=0\n"
			   "audit_sink = 9 log=/s/9.log num_logs=2\n"
			   "max_log_file = 100\n"
			   "num_logs = 10\n"
			   "flush = sync\n"
			   "freq = 7\n";
	struct canister_config config;
	char err[256] = "";

	if (parse(text, &config, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(config.sink_count, 3);
	assert_int_equal(config.sinks[0].policy.max_log_file_mib, 100);
	assert_int_equal(config.sinks[0].policy.num_logs, 10);
	assert_int_equal(config.sinks[0].policy.flush, CANISTER_AUDIT_FLUSH_SYNC);
	assert_int_equal(config.sinks[0].policy.freq, 7);
	/* Its own 0 (no rotation) is kept, not taken for "unset". */
	assert_int_equal(config.sinks[1].policy.max_log_file_mib, 0);
	assert_int_equal(config.sinks[1].policy.num_logs, 10);
	assert_int_equal(config.sinks[1].policy.flush, CANISTER_AUDIT_FLUSH_SYNC);
	assert_int_equal(config.sinks[2].policy.max_log_file_mib, 100);
	assert_int_equal(config.sinks[2].policy.num_logs, 2);
	assert_int_equal(config.sinks[2].policy.freq, 7);
}

static void test_audit_sink_errors(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "audit_sink = 7 log=/a colour=blue\n",
		  "1: audit_sink: unknown option 'colour'; options are log, rules, backlog, "
		  "backlog_bytes, format, socket, max_log_file, num_logs" },
		{ "audit_sink = 7 LOG=/a\n",
		  "1: audit_sink: unknown option 'LOG'; options are log, rules, backlog, "
		  "backlog_bytes, format, socket, max_log_file, num_logs" },
		{ "audit_sink = 7 log\n", "1: audit_sink: 'log' is not OPTION=VALUE" },
		{ "audit_sink = 7 log=/a =x\n", "1: audit_sink: '=x' is not OPTION=VALUE" },
		{ "audit_sink = 7 log = /a\n", "1: audit_sink: 'log' is not OPTION=VALUE" },
		{ "audit_sink = 7 log=/a log=/b\n", "1: audit_sink: 'log' is given twice" },
		{ "audit_sink = 7 log=\n", "1: audit_sink: 'log' has no value" },
		{ "audit_sink = 7\n", "1: audit_sink: log=/absolute/path is missing" },
		{ "audit_sink = 7 rules=/r backlog=5\n",
		  "1: audit_sink: log=/absolute/path is missing" },
		{ "audit_sink = 7 log=a.log\n",
		  "1: audit_sink: log: 'a.log' must be an absolute path" },
		{ "audit_sink = 7 log=/a rules=a.rules\n",
		  "1: audit_sink: rules: 'a.rules' must be an absolute path" },
		{ "audit_sink = 7 log=/a socket=run/s\n",
		  "1: audit_sink: socket: 'run/s' must be an absolute path" },
		{ "audit_sink = 7 log=/var/log/../a\n",
		  "1: audit_sink: log: '/var/log/../a' must not contain '.' or '..' components" },
		{ "audit_sink = 0 log=/a\n",
		  "1: audit_sink: must start with a container ID (1 to 18446744073709551614), "
		  "not '0'" },
		{ "audit_sink = 18446744073709551615 log=/a\n",
		  "1: audit_sink: must start with a container ID (1 to 18446744073709551614), "
		  "not '18446744073709551615'" },
		{ "audit_sink = 18446744073709551616 log=/a\n",
		  "1: audit_sink: must start with a container ID (1 to 18446744073709551614), "
		  "not '18446744073709551616'" },
		{ "audit_sink = -1 log=/a\n",
		  "1: audit_sink: must start with a container ID (1 to 18446744073709551614), "
		  "not '-1'" },
		{ "audit_sink = 0x7 log=/a\n",
		  "1: audit_sink: must start with a container ID (1 to 18446744073709551614), "
		  "not '0x7'" },
		{ "audit_sink = log=/a\n",
		  "1: audit_sink: must start with a container ID (1 to 18446744073709551614), "
		  "not 'log=/a'" },
		{ "audit_sink = 7 log=/a\n# other\naudit_sink = 7 log=/b\n",
		  "3: audit_sink: contid 7 already has a sink on line 1" },
		{ "audit_sink = 7 log=/a\naudit_sink = 8 log=/a\n",
		  "2: audit_sink: log '/a' is already the log of the sink on line 1" },
		{ "audit_sink = 7 log=/a socket=/s\naudit_sink = 8 log=/b socket=/s\n",
		  "2: audit_sink: socket '/s' is already the socket of the sink on line 1" },
		{ "audit_sink = 7 log=/var/log/canister/host.log\n",
		  "1: audit_sink: log '/var/log/canister/host.log' is also host_log" },
		{ "audit_sink = 7 log=/var/log/canister/audit.log\n",
		  "1: audit_sink: log '/var/log/canister/audit.log' is also audit_log" },
		{ "audit_sink = 7 log=/var/log/canister/canisterd.log\n",
		  "1: audit_sink: log '/var/log/canister/canisterd.log' is also log_file" },
		/* The keys a sink's log collides with may come after it: the sink's line is named.
		 */
		{ "audit_sink = 7 log=/srv/a.log\n\nhost_log = /srv/a.log\n",
		  "1: audit_sink: log '/srv/a.log' is also host_log (line 3)" },
		{ "audit_sink = 7 log=/srv/a.log\naudit_log = /srv/a.log\n",
		  "1: audit_sink: log '/srv/a.log' is also audit_log (line 2)" },
		{ "audit_sink = 7 log=/srv/a.log socket=/run/canister/control.sock\n",
		  "1: audit_sink: socket '/run/canister/control.sock' is also control_socket" },
		{ "audit_sink = 7 log=/a backlog=0\n", "1: audit_sink: backlog: '0' must be a "
						       "whole number of events from 1 to 1000000" },
		{ "audit_sink = 7 log=/a backlog=1000001\n",
		  "1: audit_sink: backlog: '1000001' must be a whole number of events from 1 to "
		  "1000000" },
		{ "audit_sink = 7 log=/a backlog=8k\n",
		  "1: audit_sink: backlog: '8k' must be a whole number of events from 1 to "
		  "1000000" },
		{ "audit_sink = 7 log=/a backlog_bytes=65535\n",
		  "1: audit_sink: backlog_bytes: '65535' must be a whole number of bytes from "
		  "65536 "
		  "to 1073741824" },
		{ "audit_sink = 7 log=/a backlog_bytes=1073741825\n",
		  "1: audit_sink: backlog_bytes: '1073741825' must be a whole number of bytes from "
		  "65536 to 1073741824" },
		{ "audit_sink = 7 log=/a backlog_bytes=8M\n",
		  "1: audit_sink: backlog_bytes: '8M' must be a whole number of bytes from 65536 "
		  "to "
		  "1073741824" },
		{ "audit_sink = 7 log=/a backlog_bytes=65536 backlog_bytes=65536\n",
		  "1: audit_sink: 'backlog_bytes' is given twice" },
		{ "audit_sink = 7 log=/a format=JSON\n",
		  "1: audit_sink: format: 'JSON' must be one of text, json" },
		{ "audit_sink = 7 log=/a max_log_file=4097\n",
		  "1: audit_sink: max_log_file: '4097' must be a whole number of MiB from 0 to "
		  "4096" },
		{ "audit_sink = 7 log=/a num_logs=1\n",
		  "1: audit_sink: num_logs: '1' must be a whole number from 2 to 99" },
		{ "audit_sink = 7 log=/a num_logs=100\n",
		  "1: audit_sink: num_logs: '100' must be a whole number from 2 to 99" },
		{ "audit_sink =\n", "1: 'audit_sink' has no value" },
		{ "audit_sink = 7 log=/a # web\n",
		  "1: '#' inside a value; comments go on lines of their own" },
		/* A later error still refuses the whole text. */
		{ "audit_sink = 7 log=/a\nmode = bogus\n",
		  "2: mode: 'bogus' must be one of auto, trace, lsm" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char expected[512];

		snprintf(expected, sizeof(expected), SOURCE ":%s", cases[i].message);
		expect_error(cases[i].text, expected);
	}
}

/* The socket must fit sun_path with its NUL; a log path must fit its buffer. */
static void test_audit_sink_path_limits(void **state)
{
	const size_t socket_max = sizeof(((struct canister_sink_config *)0)->socket) - 1;
	struct canister_config config;
	char text[1024], path[CANISTER_CONFIG_PATH_MAX + 1], err[1024] = "";

	memset(path, 's', socket_max);
	path[0] = '/';
	path[socket_max] = '\0';
	snprintf(text, sizeof(text), "audit_sink = 7 log=/a socket=%s\n", path);
	assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
	assert_string_equal(config.sinks[0].socket, path);

	path[socket_max] = 's';
	path[socket_max + 1] = '\0';
	snprintf(text, sizeof(text), "audit_sink = 7 log=/a socket=%s\n", path);
	expect_error_prefix(text, SOURCE ":1: audit_sink: socket: '/sss", "' path is too long");

	memset(path, 'l', CANISTER_CONFIG_PATH_MAX);
	path[0] = '/';
	path[CANISTER_CONFIG_PATH_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "audit_sink = 7 log=%s\n", path);
	assert_int_equal(parse(text, &config, err, sizeof(err)), 0);
	assert_string_equal(config.sinks[0].log, path);

	path[CANISTER_CONFIG_PATH_MAX - 1] = 'l';
	path[CANISTER_CONFIG_PATH_MAX] = '\0';
	snprintf(text, sizeof(text), "audit_sink = 7 log=%s\n", path);
	expect_error_prefix(text, SOURCE ":1: audit_sink: log: '/lll", "' path is too long");
}

static void test_audit_sink_limit(void **state)
{
	static char text[CANISTER_SINKS_MAX * 64 + 64];
	struct canister_config config;
	char err[256] = "";
	size_t used = 0;

	for (unsigned int i = 1; i <= CANISTER_SINKS_MAX; i++)
		used += snprintf(text + used, sizeof(text) - used,
				 "audit_sink = %u log=/var/log/c/%u.log\n", i, i);
	if (parse(text, &config, err, sizeof(err)) != 0)
		fail_msg("refused %u sinks: %s", CANISTER_SINKS_MAX, err);
	assert_int_equal(config.sink_count, 64);
	assert_int_equal(config.sinks[63].contid, 64);
	assert_string_equal(config.sinks[63].log, "/var/log/c/64.log");

	snprintf(text + used, sizeof(text) - used, "audit_sink = 65 log=/var/log/c/65.log\n");
	expect_error(text, SOURCE ":65: audit_sink: more than 64 sinks");
}

static void test_restart_keys_for_logs_and_sinks(void **state)
{
	struct canister_config old, new_config;
	char buf[256], err[256] = "";

	assert_int_equal(
		parse("audit_sink = 7 log=/a\naudit_sink = 8 log=/b\n", &old, err, sizeof(err)), 0);
	/* Parsed again from the same text: nothing to restart for. */
	assert_int_equal(parse("audit_sink = 7 log=/a\naudit_sink = 8 log=/b\n", &new_config, err,
			       sizeof(err)),
			 0);
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "");

	new_config.sinks[1].backlog = 5;
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "audit_sink");
	new_config = old;
	new_config.sinks[0].backlog_bytes = 65536;
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "audit_sink");
	new_config = old;
	new_config.sink_count = 1;
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "audit_sink");

	/* The global policy reaches the sinks that inherit it: both are reported. */
	assert_int_equal(parse("audit_sink = 7 log=/a\naudit_sink = 8 log=/b\nfreq = 9\n",
			       &new_config, err, sizeof(err)),
			 0);
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "freq, audit_sink");

	canister_config_defaults(&old);
	assert_int_equal(parse("max_log_file = 1\nnum_logs = 2\nflush = none\nfreq = 1\n"
			       "host_log_format = json\nplugin_dir = /p\n",
			       &new_config, err, sizeof(err)),
			 0);
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf,
			    "max_log_file, num_logs, flush, freq, host_log_format, plugin_dir");

	/* canisterd's own log's rotation is read at start, like log_file. */
	assert_int_equal(
		parse("log_max_file = 64K\nlog_num_logs = 2\n", &new_config, err, sizeof(err)), 0);
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf, "log_max_file, log_num_logs");
}

static void test_node_name(void **state)
{
	struct canister_config config;
	char err[256];

	assert_int_equal(
		parse("name_format = user\nname = edge-7.example\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.name_format, CANISTER_NAME_FORMAT_USER);
	assert_string_equal(config.node_name, "edge-7.example");
	assert_int_equal(parse("name_format = hostname\n", &config, err, sizeof(err)), 0);
	assert_int_equal(config.name_format, CANISTER_NAME_FORMAT_HOSTNAME);
	canister_config_defaults(&config);
	assert_int_equal(config.name_format, CANISTER_NAME_FORMAT_NONE);

	assert_int_equal(parse("\nname_format = user\n", &config, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "test.conf:2: name_format: 'user' needs a name = NAME line");
	assert_int_equal(parse("name_format = fqd\n", &config, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "test.conf:1: name_format: 'fqd' must be none, hostname or user "
				 "(auditd's fqd and numeric are not supported)");
	assert_int_equal(parse("name = a b\n", &config, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "test.conf:1: name: 'a b' must be 1 to 63 characters of A-Z a-z "
				 "0-9 . _ -");
	assert_int_equal(parse("name = node=x\n", &config, err, sizeof(err)), -EINVAL);
}

/* canisterd keeps the list in 512 bytes (status, reload message): every key at once fits. */
static void test_restart_keys_all_fit_canisterd_buffer(void **state)
{
	struct canister_config old, new_config;
	char buf[1024];

	canister_config_defaults(&old);
	memset(&new_config, 0x5a, sizeof(new_config));
	strcpy(new_config.pin_path, "/x");
	strcpy(new_config.control_socket, "/x");
	strcpy(new_config.log_file, "/x");
	strcpy(new_config.audit_log, "/x");
	strcpy(new_config.host_log, "/x");
	strcpy(new_config.audit_rules, "/x");
	strcpy(new_config.plugin_dir, "/x");
	strcpy(new_config.auditd_plugin_socket, "/x");
	strcpy(new_config.integrity_policy, "/x");
	strcpy(new_config.integrity_dir, "/x");
	strcpy(new_config.integrity_keys, "/x");
	strcpy(new_config.integrity_container_keys, "/x");
	new_config.integrity_appraise = CANISTER_APPRAISE_LOG;
	strcpy(new_config.access_dir, "/x");
	strcpy(new_config.access_policy, "/x");
	new_config.access_policy_mode = CANISTER_ACCESS_COMPLAIN;
	strcpy(new_config.model_dir, "/x");
	new_config.sink_count = 1;
	canister_config_restart_keys(&old, &new_config, buf, sizeof(buf));
	assert_string_equal(buf,
			    "pin_path, control_socket, log_file, log_max_file, "
			    "log_num_logs, mode, audit_log, "
			    "join_policy, labels_max, kernel_audit, host_log, audit_rules, "
			    "max_log_file, num_logs, flush, freq, host_log_format, "
			    "plugin_dir, auditd_plugin_socket, name_format, audit_sink, integrity, "
			    "integrity_policy, "
			    "integrity_dir, integrity_keys, integrity_appraise, "
			    "integrity_container_keys, integrity_host_keys, integrity_deadline_ms, "
			    "integrity_fail, "
			    "integrity_tpm, integrity_ended_kept, integrity_mmap_digest, "
			    "access_dir, access_policy, access_policy_mode, model_dir, "
			    "model_ended_grace, model_ended_kept");
	/* canisterd's buffer (main.c) and a status warning hold 1023 bytes. */
	assert_true(strlen(buf) < 900);
}

/* Where the runner starts the tests: the repository's root. */
#define EXAMPLE_CONFIG "docs/canister.conf.example"

static char *read_example(size_t *ret_len)
{
	static char text[CANISTER_CONFIG_MAX_BYTES];
	FILE *f = fopen(EXAMPLE_CONFIG, "r");

	if (!f)
		fail_msg("cannot read %s (run from the repository's root): %s", EXAMPLE_CONFIG,
			 strerror(errno));
	*ret_len = fread(text, 1, sizeof(text), f);
	fclose(f);
	assert_true(*ret_len < sizeof(text));
	return text;
}

/* The shipped example says its values are the defaults; its commented examples must parse. */
static void test_example_file_is_the_defaults(void **state)
{
	struct canister_config config, defaults;
	char err[512] = "", *uncommented;
	size_t len, used = 0;
	const char *text = read_example(&len);

	canister_config_defaults(&defaults);
	if (canister_config_parse(text, len, EXAMPLE_CONFIG, &config, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_memory_equal(&config, &defaults, sizeof(defaults));

	/* "# key = value" lines become settings; prose ("# flush: how...") stays a comment. */
	uncommented = malloc(len + 1);
	assert_non_null(uncommented);
	for (const char *p = text; p < text + len;) {
		const char *eol = memchr(p, '\n', text + len - p);
		size_t n = (eol ? eol + 1 : text + len) - p, key = 0;

		if (n > 2 && p[0] == '#' && p[1] == ' ') {
			while (2 + key < n &&
			       ((p[2 + key] >= 'a' && p[2 + key] <= 'z') || p[2 + key] == '_'))
				key++;
			if (key && n > 2 + key + 3 && memcmp(p + 2 + key, " = ", 3) == 0) {
				p += 2;
				n -= 2;
			}
		}
		memcpy(uncommented + used, p, n);
		used += n;
		p += n;
	}
	if (canister_config_parse(uncommented, used, EXAMPLE_CONFIG, &config, err, sizeof(err)) !=
	    0)
		fail_msg("%s", err);
	free(uncommented);
	assert_string_equal(config.audit_rules, "/etc/canister/audit.rules");
	assert_string_equal(config.plugin_dir, "/etc/canister/plugins.d");
	assert_int_equal(config.sink_count, 1);
	assert_int_equal(config.sinks[0].contid, 42);
	assert_int_equal(config.sinks[0].format, CANISTER_LOG_FORMAT_JSON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_the_documented_ones),
		cmocka_unit_test(test_empty_and_comment_only_text_gives_defaults),
		cmocka_unit_test(test_parses_every_key),
		cmocka_unit_test(test_partial_config_keeps_other_defaults),
		cmocka_unit_test(test_crlf_line_endings),
		cmocka_unit_test(test_unknown_key_names_its_line),
		cmocka_unit_test(test_comment_inside_value_is_refused),
		cmocka_unit_test(test_duplicate_key_names_first_line),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_empty_value_is_refused),
		cmocka_unit_test(test_enum_values_are_exact),
		cmocka_unit_test(test_mode_and_level_names_round_trip),
		cmocka_unit_test(test_paths_must_be_absolute_and_canonical),
		cmocka_unit_test(test_paths_with_dotted_names_are_accepted),
		cmocka_unit_test(test_control_socket_length_limit),
		cmocka_unit_test(test_pin_path_and_log_file_length_limit),
		cmocka_unit_test(test_nul_byte_is_refused_on_its_line),
		cmocka_unit_test(test_over_long_line_is_refused),
		cmocka_unit_test(test_first_error_wins_and_output_untouched),
		cmocka_unit_test(test_error_buffer_is_bounded),
		cmocka_unit_test(test_load_reads_safe_file),
		cmocka_unit_test(test_load_missing_file_is_enoent),
		cmocka_unit_test(test_load_refuses_group_or_world_writable),
		cmocka_unit_test(test_load_refuses_file_owned_by_someone_else),
		cmocka_unit_test(test_load_refuses_symlink),
		cmocka_unit_test(test_load_refuses_directory),
		cmocka_unit_test(test_load_refuses_fifo_without_blocking),
		cmocka_unit_test(test_load_size_limit),
		cmocka_unit_test(test_load_syntax_error_names_path_and_line),
		cmocka_unit_test(test_container_keys),
		cmocka_unit_test(test_control_keys),
		cmocka_unit_test(test_kernel_audit_keys),
		cmocka_unit_test(test_integrity_keys),
		cmocka_unit_test(test_integrity_appraisal_defaults),
		cmocka_unit_test(test_access_policy_default),
		cmocka_unit_test(test_restart_keys_none_when_equal),
		cmocka_unit_test(test_restart_keys_ignore_log_level),
		cmocka_unit_test(test_restart_keys_lists_changed_keys_in_order),
		cmocka_unit_test(test_log_policy_keys),
		cmocka_unit_test(test_flush_names_in_any_case),
		cmocka_unit_test(test_host_log_format_and_plugin_dir),
		cmocka_unit_test(test_audit_sink_every_option),
		cmocka_unit_test(test_audit_sink_policy_is_inherited_at_the_end),
		cmocka_unit_test(test_audit_sink_errors),
		cmocka_unit_test(test_audit_sink_path_limits),
		cmocka_unit_test(test_audit_sink_limit),
		cmocka_unit_test(test_restart_keys_for_logs_and_sinks),
		cmocka_unit_test(test_restart_keys_all_fit_canisterd_buffer),
		cmocka_unit_test(test_node_name),
		cmocka_unit_test(test_daemon_log_rotation_keys),
		cmocka_unit_test(test_example_file_is_the_defaults),
	};

	return cmocka_run_group_tests_name("config", tests, setup_tmpdir, remove_tmpdir);
}
