/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: cross-container grants as words (`--as M:V`, `--uid U`) and as canisterd's file. */
#ifndef CANISTER_ACCESS_GRANT_PARSE_H
#define CANISTER_ACCESS_GRANT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Grants canisterd holds, every container's together (the file's line limit too). */
#define ACCESS_GRANTS_MAX 1024
/* The file: one line a grant, at most this long. */
#define ACCESS_GRANTS_FILE_MAX (ACCESS_GRANTS_MAX * 160 + 256)
/* The largest uid a grant names: (uid_t)-1 is no uid (setresuid's "unchanged"). */
#define ACCESS_GRANT_UID_MAX 4294967294U

/*
 * One grant to container @holder: host-admin (its processes act on every
 * container's and the host's processes), or a credential (its processes
 * running as @uid, or any uid, act on container @target's processes running
 * as @target_uid).  Each container is bound to its registration (its
 * created_ns): a contid registered again is another container, and the
 * grant is not its.
 */
struct access_grant {
	uint64_t holder;
	int64_t holder_registered;
	bool credential;
	bool any_uid; /* credential without --uid */
	uint32_t uid;
	uint64_t target;
	int64_t target_registered;
	uint32_t target_uid;
	int64_t granted; /* seconds since the epoch */
};

/*
 * access_grant_parse_as() - `M:V` of `--as M:V`: a contid (not 0) and a uid
 * (0..ACCESS_GRANT_UID_MAX), both decimal.  Returns 0, or -EINVAL with one
 * line in @why.
 */
int access_grant_parse_as(const char *text, uint64_t *ret_contid, uint32_t *ret_uid, char *why,
			  size_t why_len);

/* access_grant_parse_uid() - a uid in 0..ACCESS_GRANT_UID_MAX, decimal; -EINVAL with @why. */
int access_grant_parse_uid(const char *text, const char *what, uint32_t *ret_uid, char *why,
			   size_t why_len);

/* Whether @a and @b grant the same thing (the times aside): a revoke names it so. */
bool access_grant_same(const struct access_grant *a, const struct access_grant *b);

/* "host-admin", or "credential --uid U --as M:V" (without --uid for any), into @buf. */
void access_grant_describe(const struct access_grant *grant, char *buf, size_t len);

/*
 * access_grants_format() - @count grants as canisterd keeps them, one line
 * each after a comment:
 *
 *   host-admin HOLDER REGISTERED GRANTED
 *   credential HOLDER REGISTERED UID|any TARGET REGISTERED TARGET_UID GRANTED
 *
 * Returns 0 with a NUL-terminated text to free(), or -ENOMEM.
 */
int access_grants_format(const struct access_grant *grants, size_t count, char **ret_text,
			 size_t *ret_len);

/*
 * access_grants_parse() - the file's @len bytes back, all or nothing: every
 * grant in @ret (room for ACCESS_GRANTS_MAX), their number in *@ret_count.
 * Refused (-EINVAL, "SOURCE:LINE: reason" in @why): a line of another form,
 * a number out of range, a grant to itself, the same grant twice, more than
 * ACCESS_GRANTS_MAX, a control character.  Pure.
 */
int access_grants_parse(const char *text, size_t len, const char *source, struct access_grant *ret,
			size_t *ret_count, char *why, size_t why_len);

#endif
