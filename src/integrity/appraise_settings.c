// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a container's appraisal settings (mode, host keys), their file, and a chain's mode. */
#include "integrity/appraise_settings.h"

#include "lib/kv_lines.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int appraise_settings_parse(const char *text, size_t len, const char *source,
			    struct appraise_settings *ret_settings, char *why, size_t why_len)
{
	struct appraise_settings settings = { 0 };
	struct canister_kv_reader reader;
	bool has_mode = false, has_host_keys = false;
	char *key, *value;
	int r;

	r = canister_kv_begin(&reader, text, len, source, why, why_len);
	while (r == 0 && (r = canister_kv_next(&reader, &key, &value, why, why_len)) > 0) {
		r = 0;
		if (strcmp(key, "mode") == 0) {
			if (has_mode)
				r = -EEXIST;
			else if (canister_appraise_mode_parse(value, &settings.mode) < 0)
				r = -EINVAL;
			has_mode = true;
		} else if (strcmp(key, "host_keys") == 0) {
			if (has_host_keys)
				r = -EEXIST;
			else if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0)
				settings.host_keys = strcmp(value, "yes") == 0;
			else
				r = -EINVAL;
			has_host_keys = true;
		} else {
			canister_kv_error(why, why_len, source, reader.line_no,
					  "unknown key '%s' (mode, host_keys)", key);
			return -EINVAL;
		}
		if (r == -EEXIST) {
			canister_kv_error(why, why_len, source, reader.line_no, "%s given twice",
					  key);
			return -EINVAL;
		}
		if (r < 0) {
			canister_kv_error(
				why, why_len, source, reader.line_no, "%s '%s': %s", key, value,
				strcmp(key, "mode") == 0 ? "off, log or enforce" : "yes or no");
			return -EINVAL;
		}
	}
	if (r < 0)
		return r;
	if (!has_mode || !has_host_keys) {
		/* Named at the last line read: the first of an empty file. */
		canister_kv_error(why, why_len, source, reader.line_no ? reader.line_no : 1,
				  "no %s", has_mode ? "host_keys" : "mode");
		return -EINVAL;
	}
	*ret_settings = settings;
	return 0;
}

size_t appraise_settings_format(const struct appraise_settings *settings,
				char buf[APPRAISE_SETTINGS_TEXT_MAX])
{
	int n = snprintf(buf, APPRAISE_SETTINGS_TEXT_MAX, "mode = %s\nhost_keys = %s\n",
			 canister_appraise_mode_name(settings->mode),
			 settings->host_keys ? "yes" : "no");

	return n < 0 ? 0 : (size_t)n;
}

enum canister_appraise_mode appraise_effective_mode(const enum canister_appraise_mode *modes,
						    unsigned int depth)
{
	enum canister_appraise_mode strictest = CANISTER_APPRAISE_OFF;

	for (unsigned int i = 0; i < depth; i++)
		if (modes[i] > strictest)
			strictest = modes[i];
	return strictest;
}
