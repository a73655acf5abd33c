/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models, lsm mode: an enforced domain's capability
 * uses, setid calls and mounts judged in the LSM hook, as
 * observe_deny.bpf.h judges its sockets and signals (docs/model.md,
 * "Denied in the kernel"): the coefficient computed from the CELL
 * kernel_coefficient_cred.h makes, looked up in the domain's model.
 */
#ifndef CANISTER_MODEL_DENY_CRED_BPF_H
#define CANISTER_MODEL_DENY_CRED_BPF_H

#include "observe_deny.bpf.h"
#include "../kernel_coefficient_cred.h"

/* include/linux/security.h: a check that is a probe, whose failure the kernel does not log. */
#define CN_CAP_OPT_NOAUDIT 0x2

/* A mount's scratch space (observe_deny.bpf.h's, with room for its strings' reads). */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_model_kc_mount_scratch);
} model_deny_mount_scratch SEC(".maps");

/*
 * capable: judged when the check is audited and on the acting task's own
 * credentials.  A CAP_OPT_NOAUDIT check is a probe the kernel makes to
 * choose a path (ptrace's, the OOM killer's, a sysctl's), whose failure
 * it takes silently: denying it would change what the kernel does with
 * no error anyone sees, so it is recorded only.  A check of other
 * credentials (an opener's, file_ns_capable()'s) is not the task's
 * capability use.
 */
static __always_inline void deny_capable(const struct cred *cred, int cap, unsigned int opts,
					 struct deny_verdict *v)
{
	struct canister_model_kc_scratch *s = NULL;
	__u64 contid = 0;

	if ((opts & CN_CAP_OPT_NOAUDIT) || (unsigned long)cred != (unsigned long)current_cred())
		return;
	if (!enforced(&contid, &s))
		return;
	if (!s) {
		v->denied = 1;
		return;
	}
	deny_judge(s, contid, CANISTER_MODEL_OBS_CAPABLE, cn_kc_cell_capable(s, (__u32)cap, opts),
		   v);
}

/*
 * task_fix_setuid, task_fix_setgid: the new ids (@ids: id, eid, sid,
 * fsid) and LSM_SETID_* @flags; the COE is the credentials before the
 * change, the current task's (every setid call passes current_cred() as
 * the old ones).
 */
static __always_inline void deny_setid(__u32 kind, const __u32 ids[4], int flags,
				       struct deny_verdict *v)
{
	struct canister_model_kc_scratch *s = NULL;
	__u64 contid = 0;

	if (!enforced(&contid, &s))
		return;
	if (!s) {
		v->denied = 1;
		return;
	}
	deny_judge(s, contid, kind, cn_kc_cell_setid(s, ids[0], ids[1], ids[2], ids[3], flags), v);
}

/*
 * sb_mount: @dir the mount point as the kernel resolved it, in kernel
 * memory (mount_point.bpf.h; NULL when it could not be named).  A mount
 * whose CELL the kernel cannot make (no mount point; strings too long for
 * the hash) is denied: the model cannot vouch for it.
 */
static __always_inline void deny_mount(const char *dev, const char *dir, const char *type,
				       __u64 flags, struct deny_verdict *v)
{
	struct canister_model_kc_mount_scratch *m;
	__u64 contid = 0;
	__u32 len;

	if (!current_wanted(&contid) || !bpf_map_lookup_elem(&model_enforced, &contid))
		return;
	m = bpf_task_storage_get(&model_deny_mount_scratch, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!m) {
		v->denied = 1;
		return;
	}
	cn_kc_zero_msg(&m->kc);
	len = cn_kc_cell_mount(m, dev, dir, 0, type, flags);
	if (!len) {
		v->denied = 1;
		return;
	}
	deny_judge(&m->kc, contid, CANISTER_MODEL_OBS_MOUNT, len, v);
}

#endif
