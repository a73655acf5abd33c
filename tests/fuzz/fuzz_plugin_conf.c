// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_plugin_conf_parse() on arbitrary bytes, with its invariants.
 */
#include "audit/plugin_conf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

#define SOURCE "fuzz.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What canisterd passes to execve: terminated, printable, and one word each. */
static void check_word(const char *word, size_t size, const char *what)
{
	size_t len;

	if (!memchr(word, '\0', size))
		broken(what, "not NUL-terminated");
	len = strlen(word);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)word[i] <= 0x20 || word[i] == 0x7f || word[i] == '#')
			broken(what, "holds a blank, a control character or '#'");
}

static void check_conf(const struct canister_plugin_conf *conf)
{
	size_t len;

	check_word(conf->path, sizeof(conf->path), "path");
	len = strlen(conf->path);
	if (conf->active && len == 0)
		broken("active without a path", "");
	if (len && (conf->path[0] != '/' || len < 2 || conf->path[len - 1] == '/'))
		broken("path not absolute, or '/' or trailing '/'", conf->path);
	if (strstr(conf->path, "//") || strstr(conf->path, "/./") || strstr(conf->path, "/../"))
		broken("path has an empty, '.' or '..' component", conf->path);
	if ((len >= 2 && strcmp(conf->path + len - 2, "/.") == 0) ||
	    (len >= 3 && strcmp(conf->path + len - 3, "/..") == 0))
		broken("path ends in a '.' or '..' component", conf->path);
	if (conf->arg_count > CANISTER_PLUGIN_ARGS_MAX)
		broken("more args than the limit", "");
	for (unsigned int i = 0; i < conf->arg_count; i++) {
		check_word(conf->args[i], sizeof(conf->args[i]), "arg");
		if (!conf->args[i][0])
			broken("empty arg", "");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_plugin_conf conf, untouched, again;
	char err[1536], text[4096];
	size_t used;
	int r;

	memset(&conf, 0xa5, sizeof(conf));
	memcpy(&untouched, &conf, sizeof(conf));
	memset(err, 'x', sizeof(err));
	r = canister_plugin_conf_parse((const char *)data, size, SOURCE, &conf, err, sizeof(err));
	if (r < 0) {
		if (r != -EINVAL)
			broken("error other than -EINVAL", err);
		check_line_error(SOURCE, err, sizeof(err), input_lines(data, size));
		if (memcmp(&conf, &untouched, sizeof(conf)) != 0)
			broken("output written on error", err);
		return 0;
	}
	if (r != 0)
		broken("positive return", "");
	check_conf(&conf);

	/* Written back out as a file, the result must parse to itself. */
	used = (size_t)snprintf(text, sizeof(text),
				"active = %s\n%s%s%sargs =", conf.active ? "yes" : "no",
				conf.path[0] ? "path = " : "", conf.path, conf.path[0] ? "\n" : "");
	for (unsigned int i = 0; i < conf.arg_count; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, " %s", conf.args[i]);
	used += (size_t)snprintf(text + used, sizeof(text) - used,
				 "\ndirection = out\ntype = always\nformat = string\n");
	if (used >= sizeof(text))
		broken("written-back text does not fit", "");
	memset(&again, 0, sizeof(again));
	if (canister_plugin_conf_parse(text, used, SOURCE, &again, err, sizeof(err)) != 0)
		broken("accepted file does not parse when written back", err);
	if (again.active != conf.active || strcmp(again.path, conf.path) != 0 ||
	    again.arg_count != conf.arg_count)
		broken("accepted file changes when written back", "");
	for (unsigned int i = 0; i < conf.arg_count; i++)
		if (strcmp(again.args[i], conf.args[i]) != 0)
			broken("an arg changes when written back", conf.args[i]);
	return 0;
}
