/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister: a container's access policy (issue 14): the rights it handles and
 * what it grants, parsed all or nothing, printed back, and decided; the
 * effective policy of a nested container is every level's, intersected.
 */
#ifndef CANISTER_ACCESS_POLICY_H
#define CANISTER_ACCESS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A policy of more rules (fs and net lines) is refused whole, as an IMA policy of more than 1024.
 */
#define CANISTER_ACCESS_RULES_MAX 1024
/* PATH_MAX, with its NUL: a longer path names nothing the kernel would open. */
#define CANISTER_ACCESS_PATH_MAX 4096
#define CANISTER_ACCESS_LINE_MAX (CANISTER_ACCESS_PATH_MAX + 64)
/* What canister_access_policy_load() reads at most from a policy file. */
#define CANISTER_ACCESS_FILE_MAX (1024 * 1024)

/* Rights on files beneath a path (Landlock's filesystem rights, grouped as a user names them). */
enum canister_access_fs_right {
	CANISTER_ACCESS_FS_EXECUTE = 1u << 0,
	CANISTER_ACCESS_FS_READ = 1u << 1,   /* read a file, list a directory */
	CANISTER_ACCESS_FS_WRITE = 1u << 2,  /* write or truncate a file */
	CANISTER_ACCESS_FS_CREATE = 1u << 3, /* make a file, directory, link, node or fifo */
	CANISTER_ACCESS_FS_REMOVE = 1u << 4, /* unlink a file, remove a directory */
};
#define CANISTER_ACCESS_FS_ALL 0x1fu

/* TCP ports (Landlock's network rights). */
enum canister_access_net_right {
	CANISTER_ACCESS_NET_BIND = 1u << 0,
	CANISTER_ACCESS_NET_CONNECT = 1u << 1,
};
#define CANISTER_ACCESS_NET_ALL 0x3u

/* Acts on other processes confined to the container and those nested in it (grants aside). */
enum canister_access_scope {
	CANISTER_ACCESS_SCOPE_SIGNAL = 1u << 0,
	CANISTER_ACCESS_SCOPE_PTRACE = 1u << 1,
};
#define CANISTER_ACCESS_SCOPE_ALL 0x3u

/* The capabilities a bound can name: CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE (40). */
#define CANISTER_ACCESS_CAP_LAST 40
#define CANISTER_ACCESS_CAPS_ALL ((UINT64_C(1) << (CANISTER_ACCESS_CAP_LAST + 1)) - 1)

enum canister_access_effect {
	CANISTER_ACCESS_ALLOW = 1,
	CANISTER_ACCESS_DENY,
};

/* fs allow|deny RIGHTS beneath PATH */
struct canister_access_fs_rule {
	enum canister_access_effect effect;
	uint32_t rights;
	unsigned int line;
	size_t path_len;
	char *path; /* absolute, normalised: no "." or ".." or "//", no trailing '/' but "/" */
};

/* net allow RIGHTS PORT[-PORT] */
struct canister_access_net_rule {
	uint32_t rights;
	uint16_t first, last;
	unsigned int line;
};

struct canister_access_policy {
	uint32_t fs_handled;  /* CANISTER_ACCESS_FS_*: each right decided by the rules, else allowed
			       */
	uint32_t net_handled; /* CANISTER_ACCESS_NET_* */
	uint32_t scopes;      /* CANISTER_ACCESS_SCOPE_* */
	uint64_t cap_bound; /* the capabilities kept; CANISTER_ACCESS_CAPS_ALL when none dropped */
	size_t fs_count, net_count;
	struct canister_access_fs_rule *fs;
	struct canister_access_net_rule *net;
};

/*
 * canister_access_policy_parse() - @len bytes of policy text (see
 * docs/access.md, "The policy file") into *@ret_policy; @source names it in
 * messages.  All or nothing: on error nothing is returned and @why says
 * "SOURCE:LINE: reason" (one printable line).  -EINVAL (does not parse),
 * -E2BIG (more than CANISTER_ACCESS_RULES_MAX rules), -ENOMEM.
 */
int canister_access_policy_parse(const char *text, size_t len, const char *source,
				 struct canister_access_policy **ret_policy, char *why,
				 size_t why_len);

/* canister_access_policy_load() - the file @path, refused if a symlink or writable by others. */
int canister_access_policy_load(const char *path, struct canister_access_policy **ret_policy,
				char *why, size_t why_len);

void canister_access_policy_free(struct canister_access_policy *policy);

/*
 * canister_access_policy_print() - @policy in its canonical text (the
 * format it was read in, one statement a line, in a fixed order) into @buf
 * of @size bytes, snprintf-style: returns the length the whole text needs.
 * The text parses back to the same policy.
 */
size_t canister_access_policy_print(const struct canister_access_policy *policy, char *buf,
				    size_t size);

/*
 * canister_access_fs_allows() - whether @policy lets @right (one
 * CANISTER_ACCESS_FS_* bit) act on the file at @path (absolute,
 * normalised): an unhandled right is allowed; a handled one takes the rule
 * naming it whose path is the longest ancestor of @path (or @path itself),
 * and is denied when there is none.  *@ret_line (may be NULL) gets the
 * deciding rule's line, 0 for none.
 */
bool canister_access_fs_allows(const struct canister_access_policy *policy, uint32_t right,
			       const char *path, size_t path_len, unsigned int *ret_line);

/* canister_access_net_allows() - @right (one CANISTER_ACCESS_NET_* bit) on TCP port @port. */
bool canister_access_net_allows(const struct canister_access_policy *policy, uint32_t right,
				uint16_t port);

/*
 * canister_access_effective() - the one policy that decides as the chain
 * @levels[0..@depth) does together (each level must allow): rights handled
 * by any level, the intersection of the grants and of the capability
 * bounds, the union of the scopes.  Printed, it is what `canister policy
 * show N --effective` shows, and it loads as a policy.  -ENOMEM, or
 * -E2BIG when the intersection needs more rules than a policy may hold.
 */
int canister_access_effective(const struct canister_access_policy *const *levels,
			      unsigned int depth, struct canister_access_policy **ret_policy);

/* The names of rights and capabilities as the policy text spells them. */
const char *canister_access_fs_right_name(uint32_t right);
const char *canister_access_net_right_name(uint32_t right);
const char *canister_access_scope_name(uint32_t scope);
/* "CAP_NET_RAW" for 13; NULL past CANISTER_ACCESS_CAP_LAST. */
const char *canister_access_cap_name(unsigned int cap);

#endif
