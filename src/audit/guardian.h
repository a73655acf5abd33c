/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the kernel audit guardian: undoes canisterd's audit changes should it be killed. */
#ifndef CANISTERD_GUARDIAN_H
#define CANISTERD_GUARDIAN_H

#include <stdbool.h>
#include <stddef.h>

struct canister_audit_rule;

/*
 * With kernel_audit = on, canisterd turns auditing on when it was off and
 * adds rules (audit_rules, the sinks'); a clean stop takes them away again,
 * but SIGKILL or a crash would leave them.  The guardian is a small process
 * of canisterd's own binary, spawned as canisterd becomes the audit daemon,
 * holding nothing of canisterd's but its end of a socket pair, /dev/null or
 * canisterd's stderr, and the guardian lock.  canisterd tells it each change
 * as it makes it; when canisterd's end closes without a DISARM (canisterd is
 * gone), the guardian deletes the rules canisterd added and did not delete,
 * turns auditing off if canisterd turned it on, reports what it did (to
 * canisterd's stderr in the foreground, else to log_file), and exits.
 *
 * Never after a new audit daemon: it gives up when one other than the dead
 * canisterd is registered, it undoes within GUARDIAN_DEADLINE_MS, and it holds
 * the guardian lock (GUARDIAN_LOCK) from its start to its exit, which a
 * canisterd about to become the audit daemon takes first (guardian_arm()).
 */
#define GUARDIAN_LOCK "/run/canister/kernel-audit.lock"
#define GUARDIAN_DEADLINE_MS 2000
/* How long a starting canisterd waits for a killed one's guardian to finish. */
#define GUARDIAN_LOCK_WAIT_MS (5 * GUARDIAN_DEADLINE_MS)

/* argv[1] of canisterd's binary that makes it the guardian: see guardian_main(). */
#define GUARDIAN_ARG "--kernel-audit-guardian"

/*
 * guardian_arm() - before canisterd registers as the audit daemon: take the
 * guardian lock (waiting up to GUARDIAN_LOCK_WAIT_MS for the guardian of a
 * killed canisterd to finish undoing), then spawn canisterd's guardian and
 * hand the lock to it.  The caller reads the kernel's audit status after
 * this, not before: the previous guardian may just have changed it.
 * @log_path: where the guardian reports (canisterd's log_file), or NULL for
 * canisterd's stderr.
 *
 * Returns 0, or -errno (nothing armed; canisterd runs unguarded and says so)
 * with @why: of socketpair(2), or of posix_spawn(3).  A lock that cannot be
 * had is said in the log and not an error.
 */
int guardian_arm(const char *log_path, char *why, size_t why_len);

/*
 * What canisterd is about to change, told before it changes it, so that a
 * kill between the change and the message leaves nothing behind: undoing a
 * change that was not made is harmless (the rule is not there; auditing was
 * off).  No-ops when the guardian is not armed.
 */
void guardian_enabled(void);
void guardian_rule_added(const struct canister_audit_rule *rule);
/* Told after: the rule is gone, or was refused. */
void guardian_rule_deleted(const struct canister_audit_rule *rule);

/*
 * guardian_disarm() - canisterd restored everything itself (kaudit_close()):
 * the guardian exits without undoing anything, and is reaped.
 */
void guardian_disarm(void);

/* guardian_armed() - whether a guardian watches canisterd now (for status and tests). */
bool guardian_armed(void);

/*
 * guardian_main() - the guardian's process: canisterd GUARDIAN_ARG PID [LOG],
 * with its socket on fd 0 and the lock on fd 3.  Returns the exit status.
 */
int guardian_main(int argc, char **argv);

#endif
