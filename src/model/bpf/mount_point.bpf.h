/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: a mount's point as the kernel
 * resolved it, the path sb_mount's hook is given turned into a string by
 * bpf_d_path, relative to the caller's root (a container names its own
 * paths).  The caller's string is never read again: a second thread could
 * swap a learned string in after the kernel resolved another
 * (docs/model.md, "Capability use, setid and mounts").
 */
#ifndef CANISTER_MODEL_MOUNT_POINT_BPF_H
#define CANISTER_MODEL_MOUNT_POINT_BPF_H

#include "observe.bpf.h"

/*
 * The string's buffer, per task: a per-CPU one could be overwritten by
 * another task's hook when this one is preempted (a preemptible kernel
 * runs BPF programs with only migration disabled).
 */
struct mount_point_buf {
	char path[CANISTER_MODEL_OBS_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct mount_point_buf);
} model_mount_point SEC(".maps");

/*
 * @path as a string in the current task's buffer, or NULL: no buffer, or
 * a path longer than the buffer (bpf_d_path's -ENAMETOOLONG), which the
 * caller treats as a mount without a point (denied when enforced, refused
 * by canisterd).  bpf_d_path is allowed in an LSM program only on a hook
 * the kernel lists as sleepable (bpf_lsm_is_sleepable_hook): sb_mount is.
 */
static __always_inline const char *mount_point(const struct path *path)
{
	struct mount_point_buf *b;
	long n;

	b = bpf_task_storage_get(&model_mount_point, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!b)
		return NULL;
	n = bpf_d_path((struct path *)path, b->path, sizeof(b->path));
	if (n <= 0)
		return NULL;
	return b->path;
}

#endif
