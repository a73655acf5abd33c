/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: one auditd plugins.d file (active, direction, path, type, args, format), as canisterd
 * runs it. */
#ifndef CANISTER_LIB_PLUGIN_CONF_H
#define CANISTER_LIB_PLUGIN_CONF_H

#include <stdbool.h>
#include <stddef.h>

/* auditd's plugin files are a few lines; anything larger is not one. */
#define CANISTER_PLUGIN_CONF_MAX_BYTES (16 * 1024)
#define CANISTER_PLUGIN_PATH_MAX 256
#define CANISTER_PLUGIN_ARGS_MAX 8
#define CANISTER_PLUGIN_ARG_MAX 256

/*
 * What canisterd needs to start a plugin.  Only what it can run is ever
 * accepted (direction = out, type = always, format = string), so those keys
 * leave nothing to record.
 */
struct canister_plugin_conf {
	bool active;
	char path[CANISTER_PLUGIN_PATH_MAX]; /* absolute; "" only when not active */
	unsigned int arg_count;		     /* words of `args`, after path as argv[0] */
	char args[CANISTER_PLUGIN_ARGS_MAX][CANISTER_PLUGIN_ARG_MAX];
};

/*
 * canister_plugin_conf_parse() - parse the text of one plugins.d file.
 * @source names the text in messages (usually the file's path).
 *
 * Lines are `key = value`, blank, or comments starting with '#'.  Keys:
 * active (yes|no, default no), direction (out), path (absolute, required
 * when active), type (always), args (up to CANISTER_PLUGIN_ARGS_MAX words
 * separated by blanks; empty means none), format (string).  Values of
 * active, direction, type and format are case-insensitive, as auditd reads
 * them.  Refused: unknown and repeated keys, direction = in, type = builtin
 * (auditd's internal af_unix and syslog, which canisterd does not have),
 * format = binary (canisterd feeds plugins in string format), control
 * characters and '#' inside values, NUL bytes, lines over 1023 bytes.  A
 * file is refused as a whole even when it is not active.
 *
 * Returns 0 and fills *ret_conf, or -EINVAL with "SOURCE:LINE: reason" in
 * @err; *ret_conf is untouched on error.
 */
int canister_plugin_conf_parse(const char *text, size_t len, const char *source,
			       struct canister_plugin_conf *ret_conf, char *err, size_t err_len);

#endif
