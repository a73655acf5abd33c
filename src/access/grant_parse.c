// SPDX-License-Identifier: GPL-2.0-only
/* canister: cross-container grants as words (`--as M:V`, `--uid U`) and as canisterd's file. */
#include "access/grant_parse.h"

#include "lib/contid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimal digits only, no sign, no leading zero: one spelling per number. */
static int parse_u64(const char *text, uint64_t max, uint64_t *ret)
{
	uint64_t value = 0;

	if (!text[0] || (text[0] == '0' && text[1]))
		return -EINVAL;
	for (const char *p = text; *p; p++) {
		unsigned int digit = (unsigned int)(*p - '0');

		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (value > (max - digit) / 10)
			return -ERANGE;
		value = value * 10 + digit;
	}
	*ret = value;
	return 0;
}

/* A message must not carry the terminal control characters a user's argument may hold. */
static bool printable(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

int access_grant_parse_uid(const char *text, const char *what, uint32_t *ret_uid, char *why,
			   size_t why_len)
{
	uint64_t uid;

	if (!printable(text)) {
		snprintf(why, why_len, "%s: a control character where a uid belongs", what);
		return -EINVAL;
	}
	if (parse_u64(text, ACCESS_GRANT_UID_MAX, &uid) < 0) {
		snprintf(why, why_len, "%s \"%.32s\" is not a uid (a decimal number in 0..%u)",
			 what, text, ACCESS_GRANT_UID_MAX);
		return -EINVAL;
	}
	*ret_uid = (uint32_t)uid;
	return 0;
}

int access_grant_parse_as(const char *text, uint64_t *ret_contid, uint32_t *ret_uid, char *why,
			  size_t why_len)
{
	const char *colon = strchr(text, ':');
	char contid_text[24];
	size_t len;

	if (!printable(text)) {
		snprintf(why, why_len, "--as: a control character where M:V belongs");
		return -EINVAL;
	}
	if (!colon || strchr(colon + 1, ':')) {
		snprintf(why, why_len,
			 "--as \"%.64s\": expected M:V, a container and a uid of it (--as 7:1000)",
			 text);
		return -EINVAL;
	}
	len = (size_t)(colon - text);
	if (!len || len >= sizeof(contid_text)) {
		snprintf(why, why_len, "--as \"%.64s\": \"%.*s\" is not a container id", text,
			 (int)(len > 24 ? 24 : len), text);
		return -EINVAL;
	}
	memcpy(contid_text, text, len);
	contid_text[len] = '\0';
	if (canister_parse_contid(contid_text, ret_contid) < 0 || *ret_contid == 0 ||
	    (contid_text[0] == '0' && contid_text[1])) {
		snprintf(why, why_len, "--as \"%.64s\": \"%s\" is not a container id", text,
			 contid_text);
		return -EINVAL;
	}
	return access_grant_parse_uid(colon + 1, "--as: the uid", ret_uid, why, why_len);
}

bool access_grant_same(const struct access_grant *a, const struct access_grant *b)
{
	if (a->holder != b->holder || a->credential != b->credential)
		return false;
	if (!a->credential)
		return true;
	return a->any_uid == b->any_uid && (a->any_uid || a->uid == b->uid) &&
	       a->target == b->target && a->target_uid == b->target_uid;
}

void access_grant_describe(const struct access_grant *grant, char *buf, size_t len)
{
	char uid[32] = "";

	if (!grant->credential) {
		snprintf(buf, len, "host-admin");
		return;
	}
	if (!grant->any_uid)
		snprintf(uid, sizeof(uid), "--uid %" PRIu32 " ", grant->uid);
	snprintf(buf, len, "credential %s--as %" PRIu64 ":%" PRIu32, uid, grant->target,
		 grant->target_uid);
}

#define HEADER "# canisterd's cross-container grants (written whole; `canister grant`)\n"

int access_grants_format(const struct access_grant *grants, size_t count, char **ret_text,
			 size_t *ret_len)
{
	size_t room = sizeof(HEADER) + count * 160, len;
	char *text = malloc(room);

	if (!text)
		return -ENOMEM;
	len = (size_t)snprintf(text, room, "%s", HEADER);
	for (size_t i = 0; i < count; i++) {
		const struct access_grant *g = &grants[i];
		char uid[16];

		if (!g->credential) {
			len += (size_t)snprintf(text + len, room - len,
						"host-admin %" PRIu64 " %" PRId64 " %" PRId64 "\n",
						g->holder, g->holder_registered, g->granted);
			continue;
		}
		if (g->any_uid)
			snprintf(uid, sizeof(uid), "any");
		else
			snprintf(uid, sizeof(uid), "%" PRIu32, g->uid);
		len += (size_t)snprintf(text + len, room - len,
					"credential %" PRIu64 " %" PRId64 " %s %" PRIu64 " %" PRId64
					" %" PRIu32 " %" PRId64 "\n",
					g->holder, g->holder_registered, uid, g->target,
					g->target_registered, g->target_uid, g->granted);
	}
	*ret_text = text;
	*ret_len = len;
	return 0;
}

/* A time or a registration: 0..INT64_MAX, decimal. */
static int parse_time(const char *word, int64_t *ret)
{
	uint64_t value;
	int r = parse_u64(word, INT64_MAX, &value);

	if (r == 0)
		*ret = (int64_t)value;
	return r;
}

static int parse_contid_word(const char *word, uint64_t *ret)
{
	/* 0 is no container and (u64)-1 is unset: canister_parse_contid() refuses the latter. */
	if (parse_u64(word, UINT64_MAX - 1, ret) < 0 || *ret == 0)
		return -EINVAL;
	return 0;
}

static int parse_line(char **words, size_t count, struct access_grant *g, const char **reason)
{
	uint64_t uid;

	*g = (struct access_grant){ 0 };
	*reason = "expected \"host-admin HOLDER REGISTERED GRANTED\" or \"credential HOLDER "
		  "REGISTERED UID|any TARGET REGISTERED TARGET_UID GRANTED\"";
	if (count == 4 && strcmp(words[0], "host-admin") == 0)
		return parse_contid_word(words[1], &g->holder) ||
				       parse_time(words[2], &g->holder_registered) ||
				       parse_time(words[3], &g->granted)
			       ? -EINVAL
			       : 0;
	if (count != 8 || strcmp(words[0], "credential") != 0)
		return -EINVAL;
	g->credential = true;
	if (parse_contid_word(words[1], &g->holder) ||
	    parse_time(words[2], &g->holder_registered) ||
	    parse_contid_word(words[4], &g->target) ||
	    parse_time(words[5], &g->target_registered) || parse_time(words[7], &g->granted))
		return -EINVAL;
	if (strcmp(words[3], "any") == 0) {
		g->any_uid = true;
	} else if (parse_u64(words[3], ACCESS_GRANT_UID_MAX, &uid) < 0) {
		*reason = "the uid is not one (a decimal number in 0..4294967294, or \"any\")";
		return -EINVAL;
	} else {
		g->uid = (uint32_t)uid;
	}
	if (parse_u64(words[6], ACCESS_GRANT_UID_MAX, &uid) < 0) {
		*reason = "the target uid is not one (a decimal number in 0..4294967294)";
		return -EINVAL;
	}
	g->target_uid = (uint32_t)uid;
	if (g->target == g->holder) {
		*reason = "a container holds no credential for itself";
		return -EINVAL;
	}
	return 0;
}

int access_grants_parse(const char *text, size_t len, const char *source, struct access_grant *ret,
			size_t *ret_count, char *why, size_t why_len)
{
	size_t count = 0, line_no = 0;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *reason = NULL;
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[256], *words[9], *save = NULL, *word;
		size_t n = 0;
		struct access_grant g;

		line_no++;
		if (line_len >= sizeof(line)) {
			snprintf(why, why_len, "%s:%zu: longer than %zu bytes", source, line_no,
				 sizeof(line) - 1);
			return -EINVAL;
		}
		memcpy(line, p, line_len);
		line[line_len] = '\0';
		p += line_len + (nl ? 1 : 0);
		for (size_t i = 0; i < line_len; i++)
			if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) {
				snprintf(why, why_len, "%s:%zu: a control character", source,
					 line_no);
				return -EINVAL;
			}
		if (!line_len || line[0] == '#')
			continue;
		for (word = strtok_r(line, " ", &save); word && n < 9;
		     word = strtok_r(NULL, " ", &save))
			words[n++] = word;
		if (parse_line(words, n, &g, &reason) < 0) {
			snprintf(why, why_len, "%s:%zu: %s", source, line_no, reason);
			return -EINVAL;
		}
		for (size_t i = 0; i < count; i++)
			if (access_grant_same(&ret[i], &g)) {
				snprintf(why, why_len, "%s:%zu: the same grant as an earlier line",
					 source, line_no);
				return -EINVAL;
			}
		if (count == ACCESS_GRANTS_MAX) {
			snprintf(why, why_len, "%s:%zu: more than %d grants", source, line_no,
				 ACCESS_GRANTS_MAX);
			return -EINVAL;
		}
		ret[count++] = g;
	}
	*ret_count = count;
	return 0;
}
