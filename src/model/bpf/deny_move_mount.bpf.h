/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: the new mount API's attach
 * (open_tree() or fsmount(), then move_mount()), which runs no sb_mount
 * hook, observed at move_mount's hook and, for an enforced domain, judged
 * there as observe_deny.bpf.h judges sockets: its coefficient from the CELL
 * kernel_cell_move_mount.h makes (the source mount's filesystem type and
 * whether the source is that filesystem's root), looked up in the model.
 * Learning and sealed domains, host processes, unwanted containers and a
 * runtime's init phase (never in model_enforced) are recorded only.
 */
#ifndef CANISTER_MODEL_DENY_MOVE_MOUNT_BPF_H
#define CANISTER_MODEL_DENY_MOVE_MOUNT_BPF_H

#include "observe_deny.bpf.h"
#include "observe_objects.bpf.h"
/* clang-format off */
#include "../kernel_cell_move_mount.h"
/* clang-format on */

/* What move_mount's CELL names of a mount: its filesystem's type name, and whether it is whole. */
static __always_inline const char *move_mount_source(struct vfsmount *mnt, __u32 *ret_whole)
{
	struct super_block *sb = BPF_CORE_READ(mnt, mnt_sb);

	*ret_whole = BPF_CORE_READ(mnt, mnt_root) == BPF_CORE_READ(sb, s_root);
	return BPF_CORE_READ(sb, s_type, name);
}

/*
 * 6.1's move_mount hook is not on the sleepable list, so bpf_d_path() is
 * refused here and the target is not named (docs/model.md, "Capability
 * use, setid and mounts"); the CELL is the source's.  A source whose CELL
 * the kernel cannot make (no type name, one too long) is denied to an
 * enforced domain: the model cannot vouch for it.
 */
SEC("lsm/move_mount")
int BPF_PROG(move_mount_lsm, const struct path *from_path, const struct path *to_path, int ret)
{
	struct canister_model_obs_move_mount *record;
	struct canister_model_obs_wanted *wanted;
	struct canister_model_kc_scratch *s = NULL;
	struct deny_verdict v = {};
	const char *fstype;
	__u64 contid = 0;
	__u32 whole, len;

	if (ret)
		return ret;
	fstype = move_mount_source(BPF_CORE_READ(from_path, mnt), &whole);
	if (enforced(&contid, &s)) {
		len = s ? cn_kc_cell_move_mount(s, fstype, whole) : 0;
		if (len)
			deny_judge(s, contid, CANISTER_MODEL_OBS_MOVE_MOUNT, len, &v);
		else
			v.denied = 1;
	}
	record = reserve(CANISTER_MODEL_OBS_MOVE_MOUNT, struct canister_model_obs_move_mount,
			 &wanted);
	if (record) {
		record->fstype_len =
			mount_string(record->fstype, sizeof(record->fstype), fstype, false);
		/* A source not named is never whole (the decoder's rule). */
		record->whole = record->fstype_len == CANISTER_MODEL_OBS_STR_ABSENT ? 0 : whole;
		deny_note(&record->head, &v);
		record_submit(record, wanted);
	}
	return v.denied ? -EPERM : 0;
}

#endif
