// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: auditd plugins.d files as canisterd reads them, every key and every refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/plugin_conf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SOURCE "au-remote.conf"

/* Differs from what any parse produces, so "untouched on error" cannot pass by accident. */
static void fill_sentinel(struct canister_plugin_conf *conf)
{
	memset(conf, 0x5a, sizeof(*conf));
	conf->active = true;
	strcpy(conf->path, "/sentinel");
	conf->arg_count = 7;
}

static void assert_sentinel(const struct canister_plugin_conf *conf)
{
	struct canister_plugin_conf sentinel;

	fill_sentinel(&sentinel);
	assert_memory_equal(conf, &sentinel, sizeof(sentinel));
}

static int parse_len(const char *text, size_t len, struct canister_plugin_conf *conf, char *err,
		     size_t err_len)
{
	return canister_plugin_conf_parse(text, len, SOURCE, conf, err, err_len);
}

static int parse(const char *text, struct canister_plugin_conf *conf, char *err, size_t err_len)
{
	return parse_len(text, strlen(text), conf, err, err_len);
}

/* The text must be refused with exactly @message, and the output left alone. */
static void expect_error(const char *text, const char *message)
{
	struct canister_plugin_conf conf;
	char err[512] = "";

	fill_sentinel(&conf);
	if (parse(text, &conf, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted: \"%s\"", text);
	assert_string_equal(err, message);
	assert_sentinel(&conf);
}

static void expect_error_prefix(const char *text, const char *prefix, const char *reason)
{
	struct canister_plugin_conf conf;
	char err[512] = "";

	fill_sentinel(&conf);
	if (parse(text, &conf, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted: \"%s\"", text);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, reason))
		fail_msg("\"%s\": got \"%s\", expected \"%s...%s\"", text, err, prefix, reason);
	assert_sentinel(&conf);
}

/* Debian's /etc/audit/plugins.d/au-remote.conf (audispd-plugins 3.0.9), switched on. */
static const char debian_au_remote[] = "\n"
				       "# This file controls the auditd data path to the\n"
				       "# remote event logger. This plugin will send events to\n"
				       "# a remote machine (Central Logger).\n"
				       "\n"
				       "active = yes\n"
				       "direction = out\n"
				       "path = /sbin/audisp-remote\n"
				       "type = always\n"
				       "#args =\n"
				       "format = string\n"
				       "\n";

static void test_debian_au_remote_file(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";

	fill_sentinel(&conf);
	assert_int_equal(parse(debian_au_remote, &conf, err, sizeof(err)), 0);
	assert_true(conf.active);
	assert_string_equal(conf.path, "/sbin/audisp-remote");
	assert_int_equal(conf.arg_count, 0);
}

/* auditd's own syslog.conf ends its type line with a blank; that is no part of the value. */
static void test_trailing_blanks_and_crlf(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";

	assert_int_equal(parse("active = yes \r\npath = /sbin/audisp-syslog\t\r\ntype = always "
			       "\r\nargs = LOG_INFO \r\n",
			       &conf, err, sizeof(err)),
			 0);
	assert_true(conf.active);
	assert_string_equal(conf.path, "/sbin/audisp-syslog");
	assert_int_equal(conf.arg_count, 1);
	assert_string_equal(conf.args[0], "LOG_INFO");
}

static void test_active(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";

	/* Inactive by default, as auditd has it; an inactive file needs no path. */
	assert_int_equal(parse("# nothing\n", &conf, err, sizeof(err)), 0);
	assert_false(conf.active);
	assert_string_equal(conf.path, "");
	assert_int_equal(parse("active = no\n", &conf, err, sizeof(err)), 0);
	assert_false(conf.active);
	assert_int_equal(parse("active = YES\npath = /bin/cat\n", &conf, err, sizeof(err)), 0);
	assert_true(conf.active);
	expect_error("active = on\n", "au-remote.conf:1: active: 'on' must be yes or no");
	expect_error("active = 1\n", "au-remote.conf:1: active: '1' must be yes or no");
	expect_error("# header\nactive = yes\nformat = string\n",
		     "au-remote.conf:2: active = yes, but no 'path' names the program to run");
}

static void test_direction(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";

	assert_int_equal(parse("direction = out\n", &conf, err, sizeof(err)), 0);
	assert_int_equal(parse("direction = Out\n", &conf, err, sizeof(err)), 0);
	expect_error(
		"direction = in\n",
		"au-remote.conf:1: direction: 'in' is refused: canisterd only feeds events out "
		"to plugins (inbound plugins are not supported by auditd either)");
	expect_error("direction = both\n", "au-remote.conf:1: direction: 'both' must be out");
}

/* "path = /ppp...\n" with a path of @len bytes. */
static void text_with_path(size_t len, char *text, size_t size)
{
	size_t prefix = strlen("path = ");

	assert_true(prefix + len + 2 <= size);
	memcpy(text, "path = /", prefix + 1);
	memset(text + prefix + 1, 'p', len - 1);
	memcpy(text + prefix + len, "\n", 2);
}

static void test_path(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";
	char text[CANISTER_PLUGIN_PATH_MAX + 16];

	assert_int_equal(parse("path = /usr/local/libexec/my.plugin-1\n", &conf, err, sizeof(err)),
			 0);
	assert_string_equal(conf.path, "/usr/local/libexec/my.plugin-1");
	expect_error_prefix("path = audisp-remote\n", "au-remote.conf:1: path: 'audisp-remote' ",
			    "absolute");
	expect_error_prefix("path = builtin_af_unix\n",
			    "au-remote.conf:1: path:", "canisterd has no builtin plugins");
	expect_error_prefix("path = /sbin/\n", "au-remote.conf:1: path:", "trailing '/'");
	expect_error_prefix("path = /\n", "au-remote.conf:1: path:", "trailing '/'");
	expect_error_prefix("path = /sbin//audisp-remote\n", "au-remote.conf:1: path:", "'//'");
	expect_error_prefix("path = /sbin/../tmp/x\n", "au-remote.conf:1: path:", "'..'");
	expect_error_prefix("path = /sbin/./x\n", "au-remote.conf:1: path:", "'.'");
	expect_error_prefix("path = /sbin/..\n", "au-remote.conf:1: path:", "'..'");
	expect_error_prefix("path = /sbin/audisp-remote -v\n",
			    "au-remote.conf:1: path:", "arguments go in 'args'");

	/* 255 bytes fit (with the NUL), 256 do not. */
	text_with_path(CANISTER_PLUGIN_PATH_MAX - 1, text, sizeof(text));
	assert_int_equal(parse(text, &conf, err, sizeof(err)), 0);
	assert_int_equal(strlen(conf.path), CANISTER_PLUGIN_PATH_MAX - 1);
	text_with_path(CANISTER_PLUGIN_PATH_MAX, text, sizeof(text));
	expect_error_prefix(text, "au-remote.conf:1: path:", "path is too long");
}

static void test_type(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";

	assert_int_equal(parse("type = always\n", &conf, err, sizeof(err)), 0);
	assert_int_equal(parse("type = ALWAYS\n", &conf, err, sizeof(err)), 0);
	expect_error("type = builtin\n",
		     "au-remote.conf:1: type: 'builtin' is refused: builtin plugins (af_unix, "
		     "syslog) live inside auditd and canisterd has none; run a program with type = "
		     "always");
	expect_error("type = sometimes\n", "au-remote.conf:1: type: 'sometimes' must be always");
}

static void test_args(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";
	char word[CANISTER_PLUGIN_ARG_MAX + 1], text[CANISTER_PLUGIN_ARG_MAX + 32];

	assert_int_equal(parse("args = 0640 /var/run/audispd_events\n", &conf, err, sizeof(err)),
			 0);
	assert_int_equal(conf.arg_count, 2);
	assert_string_equal(conf.args[0], "0640");
	assert_string_equal(conf.args[1], "/var/run/audispd_events");

	/* Runs of blanks and tabs separate words; none of them is part of one. */
	assert_int_equal(parse("args =  a\t\tb  c d e f g h\n", &conf, err, sizeof(err)), 0);
	assert_int_equal(conf.arg_count, 8);
	assert_string_equal(conf.args[0], "a");
	assert_string_equal(conf.args[1], "b");
	assert_string_equal(conf.args[7], "h");

	/* "args =" is how auditd's files say "none". */
	assert_int_equal(parse("args =\n", &conf, err, sizeof(err)), 0);
	assert_int_equal(conf.arg_count, 0);
	assert_int_equal(parse("args =   \t\n", &conf, err, sizeof(err)), 0);
	assert_int_equal(conf.arg_count, 0);

	expect_error("args = a b c d e f g h i\n",
		     "au-remote.conf:1: args: 'a b c d e f g h i' has more than 8 words");

	memset(word, 'w', sizeof(word) - 1);
	word[CANISTER_PLUGIN_ARG_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "args = x %s\n", word);
	assert_int_equal(parse(text, &conf, err, sizeof(err)), 0);
	assert_int_equal(strlen(conf.args[1]), CANISTER_PLUGIN_ARG_MAX - 1);
	word[CANISTER_PLUGIN_ARG_MAX - 1] = 'w';
	word[CANISTER_PLUGIN_ARG_MAX] = '\0';
	snprintf(text, sizeof(text), "args = %s\n", word);
	expect_error_prefix(text, "au-remote.conf:1: args:", "has a word longer than 255 bytes");
}

static void test_format(void **state)
{
	struct canister_plugin_conf conf;
	char err[256] = "";

	assert_int_equal(parse("format = string\n", &conf, err, sizeof(err)), 0);
	assert_int_equal(parse("format = String\n", &conf, err, sizeof(err)), 0);
	expect_error("format = binary\n",
		     "au-remote.conf:1: format: 'binary' is refused: canisterd feeds plugins in "
		     "string format");
	expect_error("format = json\n", "au-remote.conf:1: format: 'json' must be string");
}

/* Every refusal holds for a file that is not active too: the file is right or refused. */
static void test_inactive_file_is_checked_all_the_same(void **state)
{
	expect_error_prefix("active = no\ndirection = out\npath = builtin_af_unix\ntype = builtin\n"
			    "args = 0640 /var/run/audispd_events\nformat = string\n",
			    "au-remote.conf:3: path:", "absolute");
	expect_error_prefix("active = no\ntype = builtin\n", "au-remote.conf:2: type:", "refused");
	expect_error_prefix("active = no\nformat = binary\n",
			    "au-remote.conf:2: format:", "string format");
}

static void test_unknown_and_repeated_keys(void **state)
{
	expect_error("active = yes\nname = remote\n",
		     "au-remote.conf:2: unknown key 'name' (a plugin file has active, direction, "
		     "path, type, args, format)");
	expect_error("Active = yes\n", "au-remote.conf:1: expected 'key = value'");
	expect_error("path = /bin/a\n\npath = /bin/b\n",
		     "au-remote.conf:3: 'path' is already set on line 1");
	expect_error("args = a\nargs = b\n", "au-remote.conf:2: 'args' is already set on line 1");
}

static void test_malformed_lines(void **state)
{
	expect_error("active\n", "au-remote.conf:1: expected 'key = value'");
	expect_error("= yes\n", "au-remote.conf:1: expected 'key = value'");
	expect_error("active yes\n", "au-remote.conf:1: expected 'key = value'");
	expect_error("active = yes\npath = /bin/x\nformat: string\n",
		     "au-remote.conf:3: expected 'key = value'");
	expect_error("active =\n", "au-remote.conf:1: 'active' has no value");
	expect_error("path = \t\n", "au-remote.conf:1: 'path' has no value");
	expect_error("path = /bin/x # the plugin\n",
		     "au-remote.conf:1: '#' inside a value; comments go on lines of their own");
	expect_error("args = a\x01 b\n", "au-remote.conf:1: 'args' holds a control character");
	expect_error("path = /bin/\x1b[2Jx\n",
		     "au-remote.conf:1: 'path' holds a control character");
	expect_error("args = a\x7f\n", "au-remote.conf:1: 'args' holds a control character");
	expect_error("args = a\rb\n", "au-remote.conf:1: 'args' holds a control character");
}

static void test_nul_byte_is_refused_on_its_line(void **state)
{
	static const char text[] = "active = yes\npath = /bin/x\0y\n";
	struct canister_plugin_conf conf;
	char err[256] = "";

	fill_sentinel(&conf);
	assert_int_equal(parse_len(text, sizeof(text) - 1, &conf, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "au-remote.conf:2: contains a NUL byte; not a text file");
	assert_sentinel(&conf);
}

static void test_over_long_line_is_refused(void **state)
{
	char text[1100];

	memset(text, ' ', sizeof(text));
	memcpy(text, "# ok\nargs = ", 12);
	text[sizeof(text) - 2] = 'x';
	text[sizeof(text) - 1] = '\0';
	expect_error(text, "au-remote.conf:2: line is longer than 1023 bytes");
}

/* Only the first error is reported, and nothing of the lines before it leaks out. */
static void test_first_error_wins_and_output_untouched(void **state)
{
	expect_error("active = yes\npath = /sbin/audisp-remote\nargs = a b\ntype = builtin\n"
		     "format = binary\n",
		     "au-remote.conf:4: type: 'builtin' is refused: builtin plugins (af_unix, "
		     "syslog) live inside auditd and canisterd has none; run a program with type = "
		     "always");
}

static void test_error_buffer_is_bounded(void **state)
{
	struct canister_plugin_conf conf;
	char err[16];

	memset(err, 'x', sizeof(err));
	assert_int_equal(parse("format = binary\n", &conf, err, sizeof(err)), -EINVAL);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	assert_string_equal(err, "au-remote.conf:");
	/* No buffer at all is fine too. */
	assert_int_equal(parse("format = binary\n", &conf, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_au_remote_file),
		cmocka_unit_test(test_trailing_blanks_and_crlf),
		cmocka_unit_test(test_active),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_inactive_file_is_checked_all_the_same),
		cmocka_unit_test(test_unknown_and_repeated_keys),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_nul_byte_is_refused_on_its_line),
		cmocka_unit_test(test_over_long_line_is_refused),
		cmocka_unit_test(test_first_error_wins_and_output_untouched),
		cmocka_unit_test(test_error_buffer_is_bounded),
	};

	return cmocka_run_group_tests_name("plugin_conf", tests, NULL, NULL);
}
