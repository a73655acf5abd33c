/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the file that keeps a container's access policy across a restart, as text. */
#ifndef CANISTERD_ACCESS_STORED_H
#define CANISTERD_ACCESS_STORED_H

#include "lib/protocol.h"

#include <stddef.h>
#include <stdint.h>

/* What the file says besides the policy. */
struct access_stored_settings {
	enum canister_access_mode mode;
	uint32_t loaded_by;    /* 0: the host's administrator; else a delegation */
	int64_t loaded;	       /* seconds since the epoch */
	int64_t registered_ns; /* the container's registration (its created_ns) */
};

/* The line between the settings and the policy's canonical text. */
#define ACCESS_STORED_POLICY_LINE "policy:\n"
/* The settings lines at most: the largest file is this and the longest policy text. */
#define ACCESS_STORED_HEAD_MAX 256
#define ACCESS_STORED_FILE_MAX (ACCESS_STORED_HEAD_MAX + CANISTER_ACCESS_POLICY_TEXT_MAX)

struct canister_access_policy;

/*
 * access_canonical_text() - @policy's canonical text, malloc'd, in *@ret_text
 * (*@ret_len bytes), if it fits the wire (CANISTER_ACCESS_POLICY_TEXT_MAX).
 * Returns 0, -E2BIG (*@ret_len says how long it would be) or -ENOMEM.
 */
int access_canonical_text(const struct canister_access_policy *policy, char **ret_text,
			  size_t *ret_len);

/*
 * access_stored_format() - the file's text for @settings and the policy's
 * canonical @policy (@len bytes), in a malloc'd *ret_text of *ret_len bytes:
 * `key = value` lines (mode, loaded_by, loaded, registered_ns), then
 * ACCESS_STORED_POLICY_LINE, then the policy.  Returns 0 or -ENOMEM.
 */
int access_stored_format(const struct access_stored_settings *settings, const char *policy,
			 size_t len, char **ret_text, size_t *ret_len);

/*
 * access_stored_parse() - the @len bytes of @text as access_stored_format()
 * writes them: each key exactly once before the policy line.  Returns 0 with
 * *ret_settings and the policy's text (*ret_policy, pointing into @text, and
 * *ret_policy_len), or -EINVAL with "SOURCE:LINE: reason" in @why (an
 * unknown key, a value out of range, a key given twice or missing, no policy
 * line) and nothing returned.  The policy itself is the caller's to parse.
 */
int access_stored_parse(const char *text, size_t len, const char *source,
			struct access_stored_settings *ret_settings, const char **ret_policy,
			size_t *ret_policy_len, char *why, size_t why_len);

#endif
