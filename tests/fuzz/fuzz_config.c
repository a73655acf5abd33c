// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_config_parse() on arbitrary bytes, with its invariants. */
#include "lib/config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "fuzz.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *err)
{
	fprintf(stderr, "invariant broken: %s (err \"%s\")\n", what, err);
	abort();
}

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

/* "fuzz.conf:LINE: reason" with 1 <= LINE <= the number of lines in the input. */
static void check_error(const char *err, size_t err_size, const uint8_t *data, size_t size)
{
	const char *p = err + strlen(SOURCE ":");
	unsigned long line, lines = 1;
	char *end;

	if (!memchr(err, '\0', err_size))
		broken("error not NUL-terminated", "");
	if (strncmp(err, SOURCE ":", strlen(SOURCE ":")) != 0)
		broken("error does not start with the source", err);
	if (*p < '1' || *p > '9')
		broken("error has no line number", err);
	line = strtoul(p, &end, 10);
	if (strncmp(end, ": ", 2) != 0 || end[2] == '\0')
		broken("error has no ': reason' after the line number", err);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (line < 1 || line > lines)
		broken("error names a line the input does not have", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_config config, untouched, again;
	char err[1536], text[1024];
	int r;

	memset(&config, 0xa5, sizeof(config));
	memcpy(&untouched, &config, sizeof(config));
	memset(err, 'x', sizeof(err));
	r = canister_config_parse((const char *)data, size, SOURCE, &config, err, sizeof(err));
	if (r < 0) {
		if (r != -EINVAL)
			broken("error other than -EINVAL", err);
		check_error(err, sizeof(err), data, size);
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

	/* Written back out as a file, the result must parse to itself. */
	snprintf(text, sizeof(text),
		 "pin_path = %s\ncontrol_socket = %s\nlog_file = %s\nmode = %s\nlog_level = %s\n",
		 config.pin_path, config.control_socket, config.log_file,
		 canister_mode_name(config.mode), canister_log_level_name(config.log_level));
	memset(&again, 0, sizeof(again));
	if (canister_config_parse(text, strlen(text), SOURCE, &again, err, sizeof(err)) != 0)
		broken("accepted config does not parse when written back", err);
	if (strcmp(again.pin_path, config.pin_path) ||
	    strcmp(again.control_socket, config.control_socket) ||
	    strcmp(again.log_file, config.log_file) || again.mode != config.mode ||
	    again.log_level != config.log_level)
		broken("accepted config changes when written back", "");
	return 0;
}
