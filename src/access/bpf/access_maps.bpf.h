/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: the access maps (pinned, filled by canisterd) and the chain's
 * decision from them, shared by the lsm-mode hooks (access_lsm.bpf.c) and
 * the trace-mode recorder (access_trace.bpf.c).
 */
#ifndef CANISTER_ACCESS_MAPS_BPF_H
#define CANISTER_ACCESS_MAPS_BPF_H

#include "../../identity/bpf/maps.bpf.h"
#include "../lsm_abi.h"
#include <bpf/bpf_core_read.h>

/* vmlinux.h has the enums, not the macros; our own names keep them apart. */
#define CN_AF_UNSPEC 0
#define CN_AF_INET 2
#define CN_AF_INET6 10
#define CN_SOCK_STREAM 1
#define CN_IPPROTO_TCP 6
#define CN_IPPROTO_MPTCP 262

/*
 * Written by canisterd only (the guard keeps every other process off them)
 * and pinned: they and the pinned links keep deciding after canisterd is
 * gone.  access_policies: contid -> its own policy's mode, handled net
 * rights and dropped capabilities; access_ports: (contid, right) -> the
 * ports it grants.  Written before the load request is answered.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ACCESS_LSM_ENTRIES_MAX);
	__type(key, __u64);
	__type(value, struct canister_access_lsm_policy);
} access_policies SEC(".maps");

/* 8 KiB a value: allocated per handled right of a loaded policy, not for every slot. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * CANISTER_ACCESS_LSM_ENTRIES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_access_lsm_ports_key);
	__type(value, struct canister_access_lsm_ports);
} access_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CANISTER_ACCESS_LSM_REPORTS_BYTES);
} access_reports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_ACCESS_LSM_COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} access_counts SEC(".maps");

/*
 * (contid, generation, dev, ino) -> the create and remove rights the rules
 * on that path allow and deny: the rule paths of every held policy that
 * handles create or remove, bound to their inodes when it was loaded.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ACCESS_LSM_FS_RULES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_access_lsm_fs_key);
	__type(value, struct canister_access_lsm_fs_rule);
} access_fs_rules SEC(".maps");

/* Where a file decision's walk starts: a directory (create) or the file itself (remove). */
struct access_fs_start {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/*
 * One walk's state, bpf_loop()'s context: verified once, whatever the depth.
 * The mount's root and device are read when the walk enters a mount, not at
 * every directory (every inode beneath a mount is of the mount's superblock).
 */
struct access_fs_walk {
	struct canister_access_lsm_fs_key key;
	struct vfsmount *mnt;
	struct dentry *mnt_root;
	struct dentry *dentry;
	__u32 right;
	bool refused;
};

static __always_inline struct mount *access_real_mount(struct vfsmount *mnt)
{
	return (struct mount *)((void *)mnt - bpf_core_field_offset(struct mount, mnt));
}

/*
 * While *@dentry is the root of *@mnt, the mount point beneath it: what a
 * path names there is the mount point's name.  Returns false at the root
 * of the mount namespace (or past CANISTER_ACCESS_LSM_FS_STACK_MAX mounts
 * stacked on one point).
 */
static __always_inline bool access_fs_climb(struct vfsmount **mnt, struct dentry **dentry)
{
	struct dentry *d = *dentry;
	struct vfsmount *m = *mnt;

	for (int i = 0; i < CANISTER_ACCESS_LSM_FS_STACK_MAX; i++) {
		struct mount *real, *up;

		if (d != BPF_CORE_READ(m, mnt_root)) {
			*mnt = m;
			*dentry = d;
			return true;
		}
		real = access_real_mount(m);
		up = BPF_CORE_READ(real, mnt_parent);
		if (!up || up == real)
			return false;
		d = BPF_CORE_READ(real, mnt_mountpoint);
		m = (struct vfsmount *)((void *)up + bpf_core_field_offset(struct mount, mnt));
	}
	return false;
}

/* @walk enters mount @mnt: its root, and its superblock's device for the keys. */
static __always_inline void access_fs_enter(struct access_fs_walk *walk, struct vfsmount *mnt)
{
	walk->mnt = mnt;
	walk->mnt_root = BPF_CORE_READ(mnt, mnt_root);
	walk->key.dev = BPF_CORE_READ(mnt, mnt_sb, s_dev);
}

/* One directory of the walk: its rules decide, or the walk goes up (refused at the top). */
static long access_fs_step(__u32 index, void *data)
{
	struct access_fs_walk *walk = data;
	struct canister_access_lsm_fs_rule *rule;
	/* A local first: BPF_CORE_READ() would relocate walk's own fields too, which no kernel has.
	 */
	struct dentry *dentry = walk->dentry, *parent;
	struct vfsmount *mnt = walk->mnt;
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);

	if (inode) {
		walk->key.ino = BPF_CORE_READ(inode, i_ino);
		rule = bpf_map_lookup_elem(&access_fs_rules, &walk->key);
		if (rule && (rule->denied & walk->right)) {
			walk->refused = true;
			return 1;
		}
		if (rule && (rule->allowed & walk->right)) {
			walk->refused = false;
			return 1;
		}
	}
	/*
	 * From a mount's root to the mount point beneath it, whose own rules are
	 * not read, as Landlock walks: a mount hides what it covers, so a bind
	 * mount over a rule's path takes nothing of its rights.  Then its parent.
	 */
	if (dentry == walk->mnt_root) {
		if (!access_fs_climb(&mnt, &dentry))
			return 1;
		access_fs_enter(walk, mnt);
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (!parent || parent == dentry)
		return 1;
	walk->dentry = parent;
	return 0;
}

/*
 * Whether @policy (held under @contid) refuses @right at @start: the
 * nearest directory up from it whose rules name the right decides, as the
 * longest rule path does in userspace; none, or a walk longer than
 * CANISTER_ACCESS_LSM_FS_WALK_MAX: refused.
 */
static __always_inline bool fs_refuses(const struct canister_access_lsm_policy *policy,
				       __u64 contid, __u32 right,
				       const struct access_fs_start *start)
{
	struct access_fs_walk walk = {
		.key = { .contid = contid, .generation = policy->fs_generation },
		.right = right,
		.refused = true,
	};

	if (!(policy->fs_handled & right))
		return false;
	if (!start)
		return true;
	access_fs_enter(&walk, start->mnt);
	walk.dentry = start->dentry;
	bpf_loop(CANISTER_ACCESS_LSM_FS_WALK_MAX, access_fs_step, &walk, 0);
	return walk.refused;
}

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&access_counts, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/*
 * Whether @policy, the one held under @contid (a container's own, or the
 * default's key), refuses @right on @object (a port, or a capability).
 */
static __always_inline bool refuses(const struct canister_access_lsm_policy *policy, __u64 contid,
				    __u32 right, __u32 object, const struct access_fs_start *start)
{
	struct canister_access_lsm_ports_key key = { .contid = contid, .right = right };
	struct canister_access_lsm_ports *ports;
	__u32 index;
	__u64 word;

	if (right == CANISTER_ACCESS_LSM_CAPABLE)
		return object < 64 && (policy->cap_dropped >> object) & 1;
	if (right & CANISTER_ACCESS_LSM_FS)
		return fs_refuses(policy, contid, right, start);
	if (!(policy->net_handled & right))
		return false;
	ports = bpf_map_lookup_elem(&access_ports, &key);
	if (!ports)
		return true;
	index = object >> 6;
	/* Kept in a register as is: clang folds a mask into the scaling, which the verifier loses.
	 */
	asm volatile("" : "+r"(index));
	if (index >= CANISTER_ACCESS_LSM_PORT_WORDS)
		return true;
	word = ports->words[index];
	return !((word >> (object & 63)) & 1);
}

/*
 * The level of @contid's chain that refuses: an enforcing one first (then
 * *@ret_enforce), else the innermost complaining one.  The containers map
 * gives the parents; the walk stops at the nesting limit.  Returns whether
 * one refuses.
 */
static __always_inline bool refusing_level(__u64 contid, __u32 right, __u32 object,
					   const struct access_fs_start *start, __u64 *ret_by,
					   bool *ret_enforce)
{
	bool found = false;

	*ret_enforce = false;
	for (int depth = 0; depth < CANISTER_ACCESS_LSM_NEST_MAX; depth++) {
		struct canister_access_lsm_policy *policy;
		struct canister_container *container;
		__u64 key = contid;

		if (contid == CANISTER_CONTID_UNSET)
			break;
		policy = bpf_map_lookup_elem(&access_policies, &key);
		/* A container that brought none is judged by canister.conf's default. */
		if (!policy) {
			key = CANISTER_ACCESS_LSM_DEFAULT_KEY;
			policy = bpf_map_lookup_elem(&access_policies, &key);
		}
		if (policy && refuses(policy, key, right, object, start)) {
			if (policy->mode == CANISTER_ACCESS_LSM_ENFORCE) {
				*ret_by = contid;
				*ret_enforce = true;
				return true;
			}
			if (!found)
				*ret_by = contid;
			found = true;
		}
		container = bpf_map_lookup_elem(&containers, &contid);
		if (!container)
			break;
		contid = container->parent;
	}
	return found;
}

/* Whether @sock is TCP's (or MPTCP's: TCP to a policy, as Landlock has it since 6.8). */
static __always_inline bool tcp_socket(struct socket *sock)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 protocol;

	if (!sk || BPF_CORE_READ(sock, type) != CN_SOCK_STREAM)
		return false;
	protocol = BPF_CORE_READ(sk, sk_protocol);
	return protocol == CN_IPPROTO_TCP || protocol == CN_IPPROTO_MPTCP;
}

/*
 * Whether an address of @family names a port for @right: IPv4 and IPv6;
 * AF_UNSPEC is a disconnect for connect, and for bind on an IPv4 socket the
 * kernel takes it as AF_INET.
 */
static __always_inline bool port_address(__u16 family, __u32 right)
{
	if (family == CN_AF_UNSPEC)
		return right == CANISTER_ACCESS_LSM_BIND;
	return family == CN_AF_INET || family == CN_AF_INET6;
}

/*
 * Reports that a level of @contid's chain refuses @right on @object (by
 * the current thread group @tgid); @recorded_only: in trace mode, where
 * nothing is denied.  Returns whether an enforcing level refuses.
 */
static __always_inline bool judge_and_report(__u64 contid, __u32 tgid, __u32 right, __u32 object,
					     bool recorded_only)
{
	struct canister_access_lsm_report *report;
	bool enforce;
	__u64 by;

	if (!refusing_level(contid, right, object, NULL, &by, &enforce))
		return false;
	if (recorded_only)
		enforce = false;
	count(enforce ? CANISTER_ACCESS_LSM_DENIED : CANISTER_ACCESS_LSM_COMPLAINED);
	report = bpf_ringbuf_reserve(&access_reports, sizeof(*report), 0);
	if (!report) {
		count(CANISTER_ACCESS_LSM_LOST);
		return enforce;
	}
	report->contid = contid;
	report->by = by;
	report->tgid = tgid;
	report->right = right;
	report->object = object;
	report->denied = enforce;
	report->recorded_only = recorded_only;
	bpf_get_current_comm(report->comm, sizeof(report->comm));
	bpf_ringbuf_submit(report, 0);
	return enforce;
}

#endif
