// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: one auditd plugins.d file (active, direction, path, type, args, format), as canisterd
 * runs it. */
#include "audit/plugin_conf.h"

#include "lib/kv_lines.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Returns NULL on success, else why the value is refused. */
typedef const char *(*apply_fn)(struct canister_plugin_conf *conf, char *value);

static const char *apply_active(struct canister_plugin_conf *conf, char *value)
{
	if (strcasecmp(value, "yes") == 0)
		conf->active = true;
	else if (strcasecmp(value, "no") == 0)
		conf->active = false;
	else
		return "must be yes or no";
	return NULL;
}

static const char *apply_direction(struct canister_plugin_conf *conf, char *value)
{
	if (strcasecmp(value, "out") == 0)
		return NULL;
	if (strcasecmp(value, "in") == 0)
		return "is refused: canisterd only feeds events out to plugins (inbound plugins "
		       "are "
		       "not supported by auditd either)";
	return "must be out";
}

/* canisterd runs the file as root: one canonical absolute path, nothing to reinterpret. */
static const char *apply_path(struct canister_plugin_conf *conf, char *value)
{
	size_t len = strlen(value);

	if (value[0] != '/')
		return "must be an absolute path (canisterd has no builtin plugins)";
	if (len >= sizeof(conf->path))
		return "path is too long";
	if (strpbrk(value, " \t"))
		return "must be one path without blanks; arguments go in 'args'";
	if (strcmp(value, "/") == 0 || value[len - 1] == '/')
		return "must name a file, without a trailing '/'";
	for (const char *p = value; *p; p++) {
		if (p[0] == '/' && p[1] == '/')
			return "must not contain '//'";
		if (p[0] == '/' && p[1] == '.' &&
		    (p[2] == '/' || p[2] == '\0' || (p[2] == '.' && (p[3] == '/' || p[3] == '\0'))))
			return "must not contain '.' or '..' components";
	}
	memcpy(conf->path, value, len + 1);
	return NULL;
}

static const char *apply_type(struct canister_plugin_conf *conf, char *value)
{
	if (strcasecmp(value, "always") == 0)
		return NULL;
	if (strcasecmp(value, "builtin") == 0)
		return "is refused: builtin plugins (af_unix, syslog) live inside auditd and "
		       "canisterd has none; run a program with type = always";
	return "must be always";
}

static const char *apply_args(struct canister_plugin_conf *conf, char *value)
{
	unsigned int count = 0;
	char *p = value;

	for (;;) {
		char *word;
		size_t len;

		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		word = p;
		while (*p && !is_blank(*p))
			p++;
		len = (size_t)(p - word);
		if (count == CANISTER_PLUGIN_ARGS_MAX)
			return "has more than 8 words";
		if (len >= CANISTER_PLUGIN_ARG_MAX)
			return "has a word longer than 255 bytes";
		memcpy(conf->args[count], word, len);
		conf->args[count][len] = '\0';
		count++;
	}
	conf->arg_count = count;
	return NULL;
}

static const char *apply_format(struct canister_plugin_conf *conf, char *value)
{
	if (strcasecmp(value, "string") == 0)
		return NULL;
	if (strcasecmp(value, "binary") == 0)
		return "is refused: canisterd feeds plugins in string format";
	return "must be string";
}

static const struct {
	const char *name;
	apply_fn apply;
	bool may_be_empty; /* "args =" is how auditd's own files say "none" */
} keys[] = {
	{ "active", apply_active, false }, { "direction", apply_direction, false },
	{ "path", apply_path, false },	   { "type", apply_type, false },
	{ "args", apply_args, true },	   { "format", apply_format, false },
};

enum { KEY_ACTIVE = 0, KEY_PATH = 2 };

int canister_plugin_conf_parse(const char *text, size_t len, const char *source,
			       struct canister_plugin_conf *ret_conf, char *err, size_t err_len)
{
	unsigned first_line_of[ARRAY_SIZE(keys)] = { 0 };
	struct canister_plugin_conf conf;
	struct canister_kv_reader reader;
	char *key, *value;
	int r;

	memset(&conf, 0, sizeof(conf));
	r = canister_kv_begin(&reader, text, len, source, err, err_len);
	if (r < 0)
		return r;
	while ((r = canister_kv_next(&reader, &key, &value, err, err_len)) > 0) {
		unsigned line_no = reader.line_no;
		const char *why;
		size_t k;

		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if (strcmp(keys[k].name, key) == 0)
				break;
		if (k == ARRAY_SIZE(keys)) {
			canister_kv_error(
				err, err_len, source, line_no,
				"unknown key '%s' (a plugin file has active, direction, path, "
				"type, args, format)",
				key);
			return -EINVAL;
		}
		if (first_line_of[k]) {
			canister_kv_error(err, err_len, source, line_no,
					  "'%s' is already set on line %u", key, first_line_of[k]);
			return -EINVAL;
		}
		first_line_of[k] = line_no;
		if (*value == '\0' && !keys[k].may_be_empty) {
			canister_kv_error(err, err_len, source, line_no, "'%s' has no value", key);
			return -EINVAL;
		}
		/* "path = /x # note" would otherwise run "/x # note". */
		if (strchr(value, '#')) {
			canister_kv_error(err, err_len, source, line_no,
					  "'#' inside a value; comments go on lines of their own");
			return -EINVAL;
		}
		/* A plugin's argv is shown in logs and ps; nothing there may hide or reflow. */
		for (const char *c = value; *c; c++)
			if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f) {
				canister_kv_error(err, err_len, source, line_no,
						  "'%s' holds a control character", key);
				return -EINVAL;
			}
		why = keys[k].apply(&conf, value);
		if (why) {
			canister_kv_error(err, err_len, source, line_no, "%s: '%s' %s", key, value,
					  why);
			return -EINVAL;
		}
	}
	if (r < 0)
		return r;

	/* An inactive file may be a template; one that runs must say what. */
	if (conf.active && !first_line_of[KEY_PATH]) {
		canister_kv_error(err, err_len, source, first_line_of[KEY_ACTIVE],
				  "active = yes, but no 'path' names the program to run");
		return -EINVAL;
	}
	*ret_conf = conf;
	return 0;
}
