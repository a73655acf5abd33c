/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: facts about a process read from /proc (thread group, capabilities, children). */
#ifndef CANISTER_LIB_PROCFS_H
#define CANISTER_LIB_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * These read what the kernel reports at the moment of the call; a caller that
 * acts on them must hold a pidfd to the process and check afterwards that it
 * is still alive, or the pid may have been recycled in between.
 */

/*
 * canister_proc_status_field() - the value of "@key:" in /proc/PID/status text,
 * whitespace trimmed, copied to @buf.  Returns 0, -ENOENT (no such line) or
 * -ENAMETOOLONG (value does not fit).
 */
int canister_proc_status_field(const char *status_text, const char *key, char *buf, size_t len);

/* canister_proc_tgid() - the thread group of task @pid.  Returns 0 or -ESRCH. */
int canister_proc_tgid(pid_t pid, pid_t *ret_tgid);

/* canister_proc_ppid() - the parent of @pid (0 for init).  Returns 0, -ESRCH or -EPROTO. */
int canister_proc_ppid(pid_t pid, pid_t *ret_ppid);

/*
 * canister_proc_audit_ids() - @pid's login uid and audit session, as the
 * kernel's records show them ((u32)-1 when unset).  Returns 0, -ESRCH or -EPROTO.
 */
int canister_proc_audit_ids(pid_t pid, uint32_t *ret_auid, uint32_t *ret_ses);

/* canister_proc_cap_effective() - CapEff of @pid.  Returns 0, -ESRCH or -EPROTO. */
int canister_proc_cap_effective(pid_t pid, uint64_t *ret_caps);

/* Credentials as /proc/PID/status shows them to a reader in the initial user namespace. */
#define CANISTER_PROC_GROUPS_MAX 64
struct canister_proc_creds {
	uint64_t cap_effective, cap_permitted, cap_ambient, cap_bounding;
	uint32_t uid[4], gid[4]; /* real, effective, saved, filesystem */
	uint32_t groups[CANISTER_PROC_GROUPS_MAX];
	size_t group_count;
	bool groups_cut; /* more than CANISTER_PROC_GROUPS_MAX (or a status longer than read) */
	bool no_new_privs;
};

/*
 * canister_proc_creds_parse() - the credentials in /proc/PID/status text.
 * CapAmb and NoNewPrivs (older kernels lack them) read as 0.  Returns 0 or
 * -EPROTO (a line missing or malformed).
 */
int canister_proc_creds_parse(const char *status_text, struct canister_proc_creds *ret);

/* canister_proc_creds() - @pid's credentials.  Returns 0, -ESRCH or -EPROTO. */
int canister_proc_creds(pid_t pid, struct canister_proc_creds *ret);

/*
 * canister_proc_in_own_userns() - whether @pid lives in the same user
 * namespace as the calling process.  Returns 0 or -ESRCH.
 */
int canister_proc_in_own_userns(pid_t pid, bool *ret_same);

/* canister_proc_has_children() - whether any thread of @tgid has a child. Returns 0 or -ESRCH. */
int canister_proc_has_children(pid_t tgid, bool *ret_has_children);

#endif
