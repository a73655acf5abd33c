// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: what enforces each right of an access policy today, in words, for the status. */
#include "access/enforcement.h"

#include "access/gate_decide.h"
#include "access/landlock_rights.h"
#include "access/policy.h"

#include <stdio.h>

/* Said of every right no gate or LSM program decides from a held policy. */
#define CANISTERD_HOLDS_ONLY "held, not enforced"

/* What BPF LSM does for the rights its programs decide (net bind/connect, the bound). */
static const char *const lsm_words[] = {
	[ACCESS_LSM_TRACE] = "not enforced by canisterd in trace mode (no BPF LSM)",
	[ACCESS_LSM_ON] = "BPF LSM, in the kernel, canisterd running or not",
	[ACCESS_LSM_FAILED] =
		"not enforced: BPF LSM programs did not load (canisterd's log says why)",
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
static const char *fs_canisterd(uint32_t right, const char *gate_off, char *buf, size_t len)
{
	if (!(right & ACCESS_GATE_RIGHTS))
		return "not enforced by canisterd (no fanotify event)";
	if (!gate_off)
		return "fanotify gate";
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
		    fs_canisterd(bit, gate_off, off, sizeof(off)), gaps.fs & bit,
		    bit == CANISTER_ACCESS_FS_WRITE && gaps.truncate ? " (truncate(2) is not)" : "",
		    landlock_abi);
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_NET_ALL; bit <<= 1)
		row(&rows[n++], "net", canister_access_net_right_name(bit), lsm_words[lsm],
		    gaps.net & bit, "", landlock_abi);
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_SCOPE_ALL; bit <<= 1)
		row(&rows[n++], "scope", canister_access_scope_name(bit), CANISTERD_HOLDS_ONLY,
		    gaps.scopes & bit,
		    bit == CANISTER_ACCESS_SCOPE_PTRACE ? " (every domain scopes ptrace)" : "",
		    landlock_abi);
	/* Bounding sets only shrink and are inherited: no Landlock needed. */
	snprintf(rows[n].right, sizeof(rows[n].right), "capability bound");
	snprintf(rows[n].canisterd, sizeof(rows[n].canisterd), "%s", lsm_words[lsm]);
	snprintf(rows[n].run, sizeof(rows[n].run),
		 "the capability bounding set, inherited, only shrinks");
	n++;
	*ret_count = n;
}
