// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the file that keeps a container's access policy across a restart, as text. */
#include "access/stored.h"

#include "access/policy.h"
#include "lib/kv_lines.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int access_canonical_text(const struct canister_access_policy *policy, char **ret_text,
			  size_t *ret_len)
{
	size_t len = canister_access_policy_print(policy, NULL, 0);
	char *text;

	*ret_len = len;
	if (len > CANISTER_ACCESS_POLICY_TEXT_MAX)
		return -E2BIG;
	text = malloc(len + 1);
	if (!text)
		return -ENOMEM;
	canister_access_policy_print(policy, text, len + 1);
	*ret_text = text;
	return 0;
}

int access_stored_format(const struct access_stored_settings *settings, const char *policy,
			 size_t len, char **ret_text, size_t *ret_len)
{
	char head[ACCESS_STORED_HEAD_MAX];
	char *text;
	int n;

	n = snprintf(head, sizeof(head),
		     "# canisterd's own: a container's access policy (canister policy show)\n"
		     "mode = %s\nloaded_by = %" PRIu32 "\nloaded = %" PRId64
		     "\nregistered_ns = %" PRId64 "\n" ACCESS_STORED_POLICY_LINE,
		     canister_access_mode_name(settings->mode), settings->loaded_by,
		     settings->loaded, settings->registered_ns);
	if (n < 0 || (size_t)n >= sizeof(head))
		return -EINVAL;
	text = malloc((size_t)n + len + 1);
	if (!text)
		return -ENOMEM;
	memcpy(text, head, (size_t)n);
	memcpy(text + n, policy, len);
	text[(size_t)n + len] = '\0';
	*ret_text = text;
	*ret_len = (size_t)n + len;
	return 0;
}

/* A decimal in @min..@max, the whole of @value. */
static bool decimal(const char *value, int64_t min, int64_t max, int64_t *ret)
{
	long long parsed;
	char *end;

	if ((value[0] < '0' || value[0] > '9') && value[0] != '-')
		return false;
	errno = 0;
	parsed = strtoll(value, &end, 10);
	if (errno || *end || parsed < min || parsed > max)
		return false;
	*ret = parsed;
	return true;
}

static const char *const keys[] = { "mode", "loaded_by", "loaded", "registered_ns" };
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

int access_stored_parse(const char *text, size_t len, const char *source,
			struct access_stored_settings *ret_settings, const char **ret_policy,
			size_t *ret_policy_len, char *why, size_t why_len)
{
	static const char line[] = ACCESS_STORED_POLICY_LINE;
	struct access_stored_settings settings = { 0 };
	struct canister_kv_reader reader;
	bool seen[KEY_COUNT] = { false };
	const char *body = NULL;
	char *key, *value;
	size_t head_len;
	int r;

	/* The policy line starts the text or a line of it. */
	for (size_t at = 0; at + sizeof(line) - 1 <= len; at++)
		if ((at == 0 || text[at - 1] == '\n') &&
		    memcmp(text + at, line, sizeof(line) - 1) == 0) {
			body = text + at + sizeof(line) - 1;
			head_len = at;
			break;
		}
	if (!body) {
		canister_kv_error(why, why_len, source, 1, "no \"policy:\" line");
		return -EINVAL;
	}
	r = canister_kv_begin(&reader, text, head_len, source, why, why_len);
	while (r == 0 && (r = canister_kv_next(&reader, &key, &value, why, why_len)) > 0) {
		int64_t number = 0;
		size_t k;
		bool ok;

		for (k = 0; k < KEY_COUNT && strcmp(key, keys[k]) != 0; k++)
			;
		if (k == KEY_COUNT) {
			canister_kv_error(
				why, why_len, source, reader.line_no,
				"unknown key '%s' (mode, loaded_by, loaded, registered_ns)", key);
			return -EINVAL;
		}
		if (seen[k]) {
			canister_kv_error(why, why_len, source, reader.line_no, "%s given twice",
					  key);
			return -EINVAL;
		}
		seen[k] = true;
		if (k == 0)
			ok = canister_access_mode_parse(value, &settings.mode) == 0;
		else
			ok = decimal(value, 0, k == 1 ? UINT32_MAX : INT64_MAX, &number);
		if (!ok) {
			canister_kv_error(why, why_len, source, reader.line_no, "%s '%s': %s", key,
					  value,
					  k == 0 ? "enforce or complain" : "not a number in range");
			return -EINVAL;
		}
		if (k == 1)
			settings.loaded_by = (uint32_t)number;
		else if (k == 2)
			settings.loaded = number;
		else if (k == 3)
			settings.registered_ns = number;
		r = 0;
	}
	if (r < 0)
		return r;
	for (size_t k = 0; k < KEY_COUNT; k++)
		if (!seen[k]) {
			canister_kv_error(why, why_len, source, reader.line_no ? reader.line_no : 1,
					  "no %s", keys[k]);
			return -EINVAL;
		}
	*ret_settings = settings;
	*ret_policy = body;
	*ret_policy_len = len - (size_t)(body - text);
	return 0;
}
