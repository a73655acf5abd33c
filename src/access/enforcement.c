// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: what enforces each right of an access policy today, in words, for the status. */
#include "access/enforcement.h"

#include "access/gate_decide.h"
#include "access/landlock_rights.h"
#include "access/policy.h"

#include <stdio.h>
#include <string.h>

/*
 * Every row's canisterd column begins with what a user must know first:
 * "enforced", "recorded only" or "not enforced" (the README's table says
 * the same words, unit test_access_enforcement checks it).
 */

/* Said of every right no gate, LSM program or tracepoint decides from a held policy. */
#define CANISTERD_HOLDS_ONLY "not enforced, not recorded: held only"

/* fs create and remove, from the notification group (fs_events.c), in either mode. */
#define FS_EVENTS_RECORDED "recorded only (fanotify FAN_CREATE / FAN_DELETE, after the fact)"

#define LSM_ENFORCED "enforced: BPF LSM, in the kernel, canisterd running or not"
#define LSM_FAILED "not enforced: BPF LSM programs did not load (canisterd's log says why)"

/* fs create and remove in lsm mode: access_lsm.bpf.c's path hooks, from rule paths bound to inodes.
 */
#define FS_LSM_ENFORCED                                                                           \
	"enforced: BPF LSM path hooks, rule paths bound to inodes at load, canisterd running or " \
	"not"

/*
 * What canisterd does of mounts by a workload whose chain handles a file
 * right (access_mount.bpf.h); trace mode neither refuses nor sees them.
 */
static const char *const mount_words[] = {
	[ACCESS_LSM_TRACE] = "not enforced, not recorded (trace mode: no BPF LSM)",
	[ACCESS_LSM_ON] = "enforced: BPF LSM mount hooks refuse them where a file right is "
			  "handled, canisterd running or not",
	[ACCESS_LSM_FAILED] = LSM_FAILED,
	[ACCESS_LSM_TRACE_UNRECORDED] = "not enforced, not recorded (trace mode: no BPF LSM)",
};

/* What canisterd does for TCP bind and connect. */
static const char *const net_words[] = {
	[ACCESS_LSM_TRACE] = "recorded only (trace mode: no BPF LSM; syscall tracepoints)",
	[ACCESS_LSM_ON] = LSM_ENFORCED,
	[ACCESS_LSM_FAILED] = LSM_FAILED,
	[ACCESS_LSM_TRACE_UNRECORDED] = "not enforced, not recorded: the trace-mode recorder did "
					"not load (canisterd's log says why)",
};

/* What canisterd does for the capability bound: no tracepoint sees a capability check. */
static const char *const cap_words[] = {
	[ACCESS_LSM_TRACE] = "not enforced, not recorded (trace mode: no BPF LSM)",
	[ACCESS_LSM_ON] = LSM_ENFORCED,
	[ACCESS_LSM_FAILED] = LSM_FAILED,
	[ACCESS_LSM_TRACE_UNRECORDED] = "not enforced, not recorded (trace mode: no BPF LSM)",
};

static void row(struct canister_access_right_status *r, const char *kind, const char *name,
		const char *canisterd, bool gap, const char *note, int abi)
{
	snprintf(r->right, sizeof(r->right), "%s %s", kind, name);
	snprintf(r->canisterd, sizeof(r->canisterd), "%s", canisterd);
	if (abi < 1)
		snprintf(r->run, sizeof(r->run), "not enforced (this kernel has no Landlock)");
	else if (gap)
		snprintf(r->run, sizeof(r->run), "not enforced (Landlock ABI %d)", abi);
	else
		snprintf(r->run, sizeof(r->run), "Landlock ABI %d%s", abi, note);
}

/* What canisterd does of a file right, with the gate running or not (@gate_off: why not). */
static const char *fs_canisterd(uint32_t right, const char *gate_off, enum access_lsm_state lsm,
				char *buf, size_t len)
{
	/* No fanotify event: lsm mode's path hooks, or the notification group (fs_events.c). */
	if (!(right & ACCESS_GATE_RIGHTS) && lsm == ACCESS_LSM_ON)
		return FS_LSM_ENFORCED;
	if (!(right & ACCESS_GATE_RIGHTS))
		return "not enforced, not recorded by canisterd (no fanotify event)";
	if (!gate_off)
		return "enforced: fanotify gate";
	snprintf(buf, len, "not enforced: %s", gate_off);
	return buf;
}

void access_enforcement(int landlock_abi, const char *gate_off, enum access_lsm_state lsm,
			struct canister_access_right_status rows[CANISTER_STATUS_ACCESS_RIGHTS],
			unsigned int *ret_count)
{
	char off[CANISTER_STATUS_ACCESS_TEXT_MAX + 1];
	/* A policy that handles everything: its gaps are every right this kernel's Landlock lacks.
	 */
	const struct canister_access_policy all = {
		.fs_handled = CANISTER_ACCESS_FS_ALL,
		.net_handled = CANISTER_ACCESS_NET_ALL,
		.scopes = CANISTER_ACCESS_SCOPE_ALL,
		.cap_bound = CANISTER_ACCESS_CAPS_ALL,
	};
	struct access_ll_gaps gaps;
	unsigned int n = 0;

	access_ll_gaps(&all, landlock_abi, &gaps);
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_FS_ALL; bit <<= 1)
		row(&rows[n++], "fs", canister_access_fs_right_name(bit),
		    fs_canisterd(bit, gate_off, lsm, off, sizeof(off)), gaps.fs & bit,
		    bit == CANISTER_ACCESS_FS_WRITE && gaps.truncate ? " (truncate(2) is not)" : "",
		    landlock_abi);
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_NET_ALL; bit <<= 1)
		row(&rows[n++], "net", canister_access_net_right_name(bit), net_words[lsm],
		    gaps.net & bit, "", landlock_abi);
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_SCOPE_ALL; bit <<= 1)
		row(&rows[n++], "scope", canister_access_scope_name(bit), CANISTERD_HOLDS_ONLY,
		    gaps.scopes & bit,
		    bit == CANISTER_ACCESS_SCOPE_PTRACE ? " (every domain scopes ptrace)" : "",
		    landlock_abi);
	/* Bounding sets only shrink and are inherited: no Landlock needed. */
	snprintf(rows[n].right, sizeof(rows[n].right), "capability bound");
	snprintf(rows[n].canisterd, sizeof(rows[n].canisterd), "%s", cap_words[lsm]);
	snprintf(rows[n].run, sizeof(rows[n].run),
		 "the capability bounding set, inherited, only shrinks");
	n++;
	/* Not a right of its own: the cost of any file right, as Landlock has it. */
	snprintf(rows[n].right, sizeof(rows[n].right), "mounts");
	snprintf(rows[n].canisterd, sizeof(rows[n].canisterd), "%s", mount_words[lsm]);
	if (landlock_abi < 1)
		snprintf(rows[n].run, sizeof(rows[n].run),
			 "not enforced (this kernel has no Landlock)");
	else
		snprintf(rows[n].run, sizeof(rows[n].run),
			 "Landlock ABI %d (refused where a fs, net or scope rule makes a domain)",
			 landlock_abi);
	n++;
	*ret_count = n;
}

static void isolation_row(struct canister_access_right_status *r, const char *right,
			  const char *how)
{
	snprintf(r->right, sizeof(r->right), "%s", right);
	snprintf(r->canisterd, sizeof(r->canisterd), "%s", how);
	snprintf(r->run, sizeof(r->run), "not applicable (grants are canisterd's)");
}

void access_isolation_enforcement(enum access_isolation_state state, const char *why,
				  struct canister_access_right_status *rows, unsigned int *count,
				  unsigned int room)
{
	char failed[CANISTER_STATUS_ACCESS_TEXT_MAX + 1];
	char grants_failed[CANISTER_STATUS_ACCESS_TEXT_MAX + 1];
	const char *signal, *ptrace, *files, *grants;

	switch (state) {
	case ACCESS_ISOLATION_ON:
		signal = "enforced (BPF LSM task_kill, and prlimit, nice, ioprio, sched, page "
			 "moves, /proc/PID and cgroup writes), grants aside";
		ptrace = "enforced (BPF LSM ptrace_access_check, traceme: identity's guard), "
			 "grants aside";
		files = "enforced on files made while canisterd's programs ran (BPF LSM: writes, "
			"attributes, removal), grants aside";
		grants = "enforced: they widen isolation in BPF LSM (the pinned isolation_grants "
			 "map); each grant and revoke recorded";
		break;
	case ACCESS_ISOLATION_FAILED:
		snprintf(failed, sizeof(failed), "not enforced: %s", why);
		snprintf(grants_failed, sizeof(grants_failed),
			 "recorded only (each grant and revoke): isolation is not enforced: %s",
			 why);
		signal = ptrace = files = failed;
		grants = grants_failed;
		break;
	case ACCESS_ISOLATION_TRACE_UNRECORDED:
		snprintf(failed, sizeof(failed),
			 "not enforced, not recorded: the trace-mode recorder did not load: %s",
			 why);
		signal = ptrace = failed;
		files = "not enforced, not recorded (trace mode: no BPF LSM)";
		grants = "recorded only (each grant and revoke): trace mode enforces no isolation "
			 "for them to widen";
		break;
	case ACCESS_ISOLATION_TRACE_IDLE:
	default:
		/* Idle: no labelled process exists to signal or ptrace, nothing to record. */
		if (state == ACCESS_ISOLATION_TRACE_IDLE) {
			signal = "recorded only (trace mode: no BPF LSM; syscall tracepoints; "
				 "recorder idle: no container), grants aside";
			ptrace = "recorded only (trace mode: no BPF LSM; ptrace attach, "
				 "process_vm_readv/writev; recorder idle: no container), grants "
				 "aside";
		} else {
			signal = "recorded only (trace mode: no BPF LSM; syscall tracepoints; "
				 "recorder attached), grants aside";
			ptrace = "recorded only (trace mode: no BPF LSM; ptrace attach, "
				 "process_vm_readv/writev; recorder attached), grants aside";
		}
		files = "not enforced, not recorded (trace mode: no BPF LSM)";
		grants = "recorded only (each grant and revoke); in trace mode what they allow is "
			 "not recorded";
		break;
	}
	if (*count < room)
		isolation_row(&rows[(*count)++], "isolation signal", signal);
	if (*count < room)
		isolation_row(&rows[(*count)++], "isolation ptrace", ptrace);
	if (*count < room)
		isolation_row(&rows[(*count)++], "isolation files", files);
	if (*count < room)
		isolation_row(&rows[(*count)++], "grants", grants);
}

void access_fs_events_enforcement(const char *off, enum access_lsm_state lsm,
				  struct canister_access_right_status *rows, unsigned int count)
{
	char words[CANISTER_STATUS_ACCESS_TEXT_MAX + 1];

	/* BPF LSM decides them: the group is not marked for them (fs_events.c). */
	if (lsm == ACCESS_LSM_ON)
		return;
	if (off)
		snprintf(words, sizeof(words), "not enforced, not recorded: %s", off);
	else
		snprintf(words, sizeof(words), "%s", FS_EVENTS_RECORDED);
	for (unsigned int i = 0; i < count; i++)
		if (!strcmp(rows[i].right, "fs create") || !strcmp(rows[i].right, "fs remove"))
			snprintf(rows[i].canisterd, sizeof(rows[i].canisterd), "%s", words);
}
