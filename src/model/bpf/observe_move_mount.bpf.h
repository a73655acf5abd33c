/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, trace mode: move_mount(2), the new mount
 * API's attach, recorded with the CELL lsm mode's hook hashes
 * (deny_move_mount.bpf.h): the source mount's filesystem type and whether
 * the source is its filesystem's root.  The tracepoint holds only the
 * caller's arguments, so the source is named when the caller named it by a
 * descriptor alone (MOVE_MOUNT_F_EMPTY_PATH and ""), as open_tree() and
 * fsmount() hand it over: the descriptor's file's mount is the one the
 * kernel moves.  A source named by a path is recorded as not named (the
 * empty type): lsm mode names it, so such a move learned in trace mode is
 * denied when enforced in lsm mode (closed, never open).
 *
 * Read at the exit, as mount(2)'s strings are: at the entry the caller's
 * "" may sit on a page not yet faulted in.  The descriptor is read at the
 * exit too (move_mount() leaves it open); a second thread could swap it
 * between the call and the exit: a record, not a decision.
 */
#ifndef CANISTER_MODEL_OBSERVE_MOVE_MOUNT_BPF_H
#define CANISTER_MODEL_OBSERVE_MOVE_MOUNT_BPF_H

#include "observe_objects.bpf.h"

/* include/uapi/linux/mount.h */
#define CN_MOVE_MOUNT_F_EMPTY_PATH 0x4

struct move_mount_entry {
	const char *from_name;
	__s32 from_dfd;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64); /* pid_tgid: the thread */
	__type(value, struct move_mount_entry);
} model_move_mount_entries SEC(".maps");

SEC("tp/syscalls/sys_enter_move_mount")
int move_mount_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 thread = bpf_get_current_pid_tgid(), contid;
	struct move_mount_entry entry = {
		.from_dfd = (__s32)ctx->args[0],
		.from_name = (const char *)ctx->args[1],
		.flags = (__u32)ctx->args[4],
	};

	if (!current_wanted(&contid))
		return 0;
	if (bpf_map_update_elem(&model_move_mount_entries, &thread, &entry, BPF_ANY))
		model_count(CANISTER_MODEL_OBS_STASH_FULL);
	return 0;
}

SEC("tp/syscalls/sys_exit_move_mount")
int move_mount_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 thread = bpf_get_current_pid_tgid();
	struct canister_model_obs_move_mount *record;
	struct canister_model_obs_wanted *wanted;
	struct move_mount_entry *entry, saved;
	struct super_block *sb;
	struct vfsmount *mnt;
	struct file *file;
	char first = 1;

	entry = bpf_map_lookup_elem(&model_move_mount_entries, &thread);
	if (!entry)
		return 0;
	saved = *entry;
	bpf_map_delete_elem(&model_move_mount_entries, &thread);
	record = reserve(CANISTER_MODEL_OBS_MOVE_MOUNT, struct canister_model_obs_move_mount,
			 &wanted);
	if (!record)
		return 0;
	record->whole = 0;
	record->fstype_len = CANISTER_MODEL_OBS_STR_ABSENT;
	__builtin_memset(record->fstype, 0, sizeof(record->fstype));
	if ((saved.flags & CN_MOVE_MOUNT_F_EMPTY_PATH) && saved.from_name &&
	    bpf_probe_read_user(&first, 1, saved.from_name) == 0 && first == 0 &&
	    (file = fd_file(saved.from_dfd))) {
		mnt = BPF_CORE_READ(file, f_path.mnt);
		sb = BPF_CORE_READ(mnt, mnt_sb);
		record->fstype_len = mount_string(record->fstype, sizeof(record->fstype),
						  BPF_CORE_READ(sb, s_type, name), false);
		if (record->fstype_len != CANISTER_MODEL_OBS_STR_ABSENT)
			record->whole = BPF_CORE_READ(mnt, mnt_root) == BPF_CORE_READ(sb, s_root);
	}
	record_submit(record, wanted);
	return 0;
}

#endif
