/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: where a cgroupfs file is in the cgroup tree, for the hooks that
 * refuse a container's writes to cgroups (identity's guard: canisterd's;
 * access's isolation: those outside the writer's own).
 */
#ifndef CANISTER_CGROUP_TREE_BPF_H
#define CANISTER_CGROUP_TREE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#define CGROUP_SUPER_MAGIC 0x27e0eb
#define CGROUP2_SUPER_MAGIC 0x63677270
#define KERNFS_DIR 0x0001
/* Upper bound of cgroup v1 controllers a kernel may have (6.1 has 14). */
#define SUBSYS_BOUND 16
/* Levels of the cgroup tree cgroup_within_id() walks; canisterd records none deeper. */
#define CGROUP_WALK 64

/* Before 6.15, kernfs_node's parent was a plain pointer. */
struct kernfs_node___v61 {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (!kn)
		return 0;
	if (bpf_core_field_exists(struct kernfs_node___v61, parent))
		return BPF_CORE_READ((struct kernfs_node___v61 *)kn, parent);
	return BPF_CORE_READ(kn, __parent);
}

/*
 * The cgroup a cgroupfs inode belongs to: a directory's own, a file's its
 * directory's (a file's node keeps its cftype, the directory's its cgroup),
 * or 0.  *@ret_kn is the inode's node.
 */
static __always_inline struct cgroup *cgroupfs_inode_cgroup(struct inode *inode,
							    struct kernfs_node **ret_kn)
{
	struct kernfs_node *kn = BPF_CORE_READ(inode, i_private);

	*ret_kn = kn;
	if (!kn)
		return 0;
	if (!(BPF_CORE_READ(kn, flags) & KERNFS_DIR))
		kn = kn_parent(kn);
	return kn ? BPF_CORE_READ(kn, priv) : 0;
}

/*
 * @task's cgroup in the hierarchy of @cgrp: its cgroup v2 one, or in v1 the
 * one of a controller bound there; 0 when it has none we can find (a v1
 * hierarchy without a controller, as name=systemd).
 */
static __always_inline struct cgroup *task_cgroup_like(struct task_struct *task,
						       struct cgroup *cgrp)
{
	struct cgroup_root *root = BPF_CORE_READ(cgrp, root);
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	struct cgroup *dfl = BPF_CORE_READ(cset, dfl_cgrp);
	int count = bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT);
	__u64 base = (__u64)cset + bpf_core_field_offset(struct css_set, subsys);

	if (dfl && BPF_CORE_READ(dfl, root) == root)
		return dfl;
	for (int i = 0; i < SUBSYS_BOUND && i < count; i++) {
		struct cgroup_subsys_state *css = 0;
		struct cgroup *c;

		bpf_probe_read_kernel(&css, sizeof(css), (void *)(base + i * sizeof(css)));
		if (!css)
			continue;
		c = BPF_CORE_READ(css, cgroup);
		if (c && BPF_CORE_READ(c, root) == root)
			return c;
	}
	return 0;
}

/*
 * Whether @cgrp is @ancestor or beneath it (one hierarchy): a cgroup keeps
 * its ancestors by level, so one read answers.
 */
static __always_inline bool cgroup_beneath(struct cgroup *cgrp, struct cgroup *ancestor)
{
	struct cgroup *found = 0;
	int level;

	if (!cgrp || !ancestor)
		return false;
	level = BPF_CORE_READ(ancestor, level);
	if (level < 0 || level > BPF_CORE_READ(cgrp, level))
		return false;
	bpf_probe_read_kernel(&found, sizeof(found),
			      (void *)cgrp + bpf_core_field_offset(struct cgroup, ancestors) +
				      level * sizeof(found));
	return found == ancestor;
}

/*
 * Whether @cgrp is the cgroup of id @id (its kernfs id) or beneath it: its
 * ancestors by level, from the root down, at most CGROUP_WALK of them.
 */
static __always_inline bool cgroup_within_id(struct cgroup *cgrp, __u64 id)
{
	__u64 base = (__u64)cgrp + bpf_core_field_offset(struct cgroup, ancestors);
	int level;

	if (!cgrp)
		return false;
	level = BPF_CORE_READ(cgrp, level);
	for (int i = 0; i < CGROUP_WALK; i++) {
		struct cgroup *ancestor = 0;

		if (i > level)
			break;
		bpf_probe_read_kernel(&ancestor, sizeof(ancestor),
				      (void *)(base + i * sizeof(ancestor)));
		if (ancestor && BPF_CORE_READ(ancestor, kn, id) == id)
			return true;
	}
	return false;
}

#endif
