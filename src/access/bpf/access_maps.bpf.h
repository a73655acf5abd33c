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

#ifdef CANISTER_ACCESS_FS_WALK
/*
 * The inodes of rule paths, marked when a policy was loaded (lsm/file_fcntl
 * below, on canisterd's request): a walk step is one inode-storage read, and
 * only a marked inode costs a lookup in access_fs_rules.  Pinned: the marks
 * outlive canisterd as the rules do.
 */
struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct canister_access_lsm_fs_mark);
} access_fs_marks SEC(".maps");

/*
 * A mark lives as long as its inode object: a marked inode evicted from the
 * inode cache (still linked, on a filesystem still mounted) is remembered
 * here by lsm/inode_free_security, with its superblock's epoch, and the walk
 * that meets it read back marks it again.  Removed when such an inode is
 * freed with no link left; an entry whose superblock is gone (another
 * filesystem may take its device number) never matches again.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ACCESS_LSM_FS_RULES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_access_lsm_fs_inode);
	__type(value, __u64);
} access_fs_evicted SEC(".maps");

/*
 * (device, inode number) -> the marked inode object's address: a walk past
 * a mount point, which cannot read marks, takes a rule found by number only
 * from the inode object that was marked (or one read back after its
 * eviction): a number freed and given to another file is not its rules'.
 * Removed when the marked inode object is freed.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ACCESS_LSM_FS_RULES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct canister_access_lsm_fs_inode);
	__type(value, __u64);
} access_fs_inodes SEC(".maps");

/*
 * A superblock holding a marked inode (its address) -> an epoch of its own
 * (the time it was first seen), removed by lsm/sb_free_security: an evicted
 * entry is this superblock's only while the epochs agree, so a superblock
 * freed and another made at the same address, or with the same device
 * number, is not the rule path's filesystem.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CANISTER_ACCESS_LSM_FS_SBS_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u64);
} access_fs_sbs SEC(".maps");

/* How many inodes access_fs_evicted holds (0: a miss is no rule), and evictions not kept. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CANISTER_ACCESS_LSM_FS_STATE_MAX);
	__type(key, __u32);
	__type(value, __u64);
} access_fs_state SEC(".maps");

/* canisterd's requests to mark an inode, per thread; this run's own (not pinned). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, struct canister_access_lsm_fs_binding);
} access_fs_binding SEC(".maps");

static __always_inline __u64 *access_fs_state_slot(__u32 slot)
{
	return bpf_map_lookup_elem(&access_fs_state, &slot);
}

/* The epoch of the superblock at @sb (an address); 0: none (@create: one is given). */
static __always_inline __u64 access_fs_sb_epoch(__u64 sb, bool create)
{
	__u64 *epoch = bpf_map_lookup_elem(&access_fs_sbs, &sb), now;

	if (epoch)
		return *epoch;
	if (!create)
		return 0;
	now = bpf_ktime_get_ns() | 1;
	if (bpf_map_update_elem(&access_fs_sbs, &sb, &now, BPF_NOEXIST) == 0)
		return now;
	epoch = bpf_map_lookup_elem(&access_fs_sbs, &sb);
	return epoch ? *epoch : 0;
}

/* @inode is the marked object of @id from now on; false: no room to say so. */
static __always_inline bool access_fs_inode_is(const struct canister_access_lsm_fs_inode *id,
					       struct inode *inode)
{
	__u64 address = (__u64)inode;

	return bpf_map_update_elem(&access_fs_inodes, id, &address, BPF_ANY) == 0;
}

/* @id leaves access_fs_evicted: counted out when it was there. */
static __always_inline void access_fs_unevict(const struct canister_access_lsm_fs_inode *id)
{
	__u64 *evicted = access_fs_state_slot(CANISTER_ACCESS_LSM_FS_EVICTED);

	if (evicted && *evicted && bpf_map_delete_elem(&access_fs_evicted, id) == 0)
		__sync_fetch_and_add(evicted, -1);
}

/*
 * Whether (@ino, @dev), an inode of the superblock at @sb, is an evicted rule
 * path read back: remembered, of the same filesystem.  One of a filesystem
 * gone is dropped.  A global function, scalars in: the verifier checks it
 * once, not at every step of every walk it is called from.
 */
__noinline int access_fs_remembered(__u64 ino, __u32 dev, __u64 sb)
{
	struct canister_access_lsm_fs_inode id = { .ino = ino, .dev = dev };
	__u64 *epoch = bpf_map_lookup_elem(&access_fs_evicted, &id);

	if (!epoch)
		return 0;
	if (*epoch == access_fs_sb_epoch(sb, false))
		return 1;
	access_fs_unevict(&id);
	return 0;
}

/* Whether evictions went unremembered: every inode is then a candidate by its number. */
static __always_inline bool access_fs_unkept(void)
{
	__u64 *unkept = access_fs_state_slot(CANISTER_ACCESS_LSM_FS_UNKEPT);

	return unkept && *unkept;
}

/*
 * The rules' key of @inode, which has no mark: an evicted rule path read
 * back is marked again (its rules found as before); an eviction that could
 * not be remembered makes every unmarked inode a candidate by its number
 * (the hash walk of old, erring toward the rules).  false: no rule here.
 */
static __always_inline bool access_fs_unmarked(struct inode *inode,
					       struct canister_access_lsm_fs_key *key)
{
	struct canister_access_lsm_fs_inode id = {};
	struct canister_access_lsm_fs_mark *mark;
	__u64 *evicted = access_fs_state_slot(CANISTER_ACCESS_LSM_FS_EVICTED);
	struct super_block *sb;

	if ((!evicted || !*evicted) && !access_fs_unkept())
		return false;
	sb = inode->i_sb;
	id.ino = inode->i_ino;
	id.dev = sb->s_dev;
	key->ino = id.ino;
	key->dev = id.dev;
	/* The address as a number (read through a helper): a global function takes no pointer. */
	if (!access_fs_remembered(id.ino, id.dev, (__u64)BPF_CORE_READ(inode, i_sb)))
		return access_fs_unkept();
	mark = bpf_inode_storage_get(&access_fs_marks, inode, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (mark && access_fs_inode_is(&id, inode)) {
		mark->ino = id.ino;
		mark->dev = id.dev;
		access_fs_unevict(&id);
	}
	return true;
}

/*
 * Past a mount point: whether the rule found for (@ino, @dev) is this
 * inode's (@inode, of the superblock @sb, addresses read through helpers):
 * the marked object itself, or one read back after the marked one was
 * evicted.  Global, as access_fs_remembered().
 */
__noinline int access_fs_far_marked(__u64 ino, __u32 dev, __u64 inode, __u64 sb)
{
	struct canister_access_lsm_fs_inode id = { .ino = ino, .dev = dev };
	__u64 *marked = bpf_map_lookup_elem(&access_fs_inodes, &id);

	if (marked && *marked == inode)
		return 1;
	if (access_fs_remembered(ino, dev, sb))
		return 1;
	return access_fs_unkept();
}

/*
 * One walk's state, bpf_loop()'s context: verified once, whatever the depth.
 * Within the mount it starts in, the walk follows the dentries themselves
 * (@dentry, typed: their inodes' marks can be read); past a mount point
 * (@crossed) only copies of the pointers are at hand (no kernel helper of
 * 6.1 gives a typed struct mount), and a step there looks each directory's
 * (device, inode number) up in access_fs_rules, as every step did before
 * the marks.
 */
struct access_fs_walk {
	struct canister_access_lsm_fs_key key;
	struct dentry *dentry;
	struct vfsmount *mnt;
	struct dentry *mnt_root;
	struct dentry *far; /* past a mount point: the directory, read through helpers */
	__u32 right;
	bool refused;
	bool crossed;
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

/*
 * The rules at @walk's key decide @walk (@far: past a mount point, where
 * @inode, read through a helper, must be the one marked): returns whether
 * they name its right.
 */
static __always_inline bool access_fs_rules_decide(struct access_fs_walk *walk, bool far,
						   const struct inode *inode)
{
	struct canister_access_lsm_fs_rule *rule =
		bpf_map_lookup_elem(&access_fs_rules, &walk->key);

	if (rule && far &&
	    !access_fs_far_marked(walk->key.ino, walk->key.dev, (__u64)inode,
				  (__u64)BPF_CORE_READ(inode, i_sb)))
		return false;
	if (rule && (rule->denied & walk->right)) {
		walk->refused = true;
		return true;
	}
	if (rule && (rule->allowed & walk->right)) {
		walk->refused = false;
		return true;
	}
	return false;
}

/* A step past a mount point: the directory's (device, inode number), its mount's device. */
static __always_inline long access_fs_far_step(struct access_fs_walk *walk)
{
	struct dentry *dentry = walk->far, *parent;
	struct vfsmount *mnt = walk->mnt;
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);

	if (inode) {
		walk->key.ino = BPF_CORE_READ(inode, i_ino);
		walk->key.dev = BPF_CORE_READ(mnt, mnt_sb, s_dev);
		if (access_fs_rules_decide(walk, true, inode))
			return 1;
	}
	if (dentry == walk->mnt_root) {
		if (!access_fs_climb(&mnt, &dentry))
			return 1;
		walk->mnt = mnt;
		walk->mnt_root = BPF_CORE_READ(mnt, mnt_root);
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (!parent || parent == dentry)
		return 1;
	walk->far = parent;
	return 0;
}

/* One directory of the walk: its rules decide, or the walk goes up (refused at the top). */
static long access_fs_step(__u32 index, void *data)
{
	struct access_fs_walk *walk = data;
	struct canister_access_lsm_fs_mark *mark;
	struct dentry *dentry, *parent;
	struct inode *inode;

	if (walk->crossed)
		return access_fs_far_step(walk);
	dentry = walk->dentry;
	inode = dentry->d_inode;
	if (inode) {
		mark = bpf_inode_storage_get(&access_fs_marks, inode, 0, 0);
		if (mark) {
			walk->key.ino = mark->ino;
			walk->key.dev = mark->dev;
			if (access_fs_rules_decide(walk, false, NULL))
				return 1;
		} else if (access_fs_unmarked(inode, &walk->key) &&
			   access_fs_rules_decide(walk, false, NULL)) {
			return 1;
		}
	}
	/*
	 * From a mount's root to the mount point beneath it, whose own rules are
	 * not read, as Landlock walks: a mount hides what it covers, so a bind
	 * mount over a rule's path takes nothing of its rights.  Then its parent.
	 */
	if (dentry == walk->mnt_root) {
		/*
		 * The far steps climb (one copy of the climb for the verifier): they
		 * read this mount root's rules again, by number, and find what its
		 * mark found.
		 */
		walk->far = dentry;
		walk->crossed = true;
		return 0;
	}
	parent = dentry->d_parent;
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
	struct vfsmount *mnt;

	if (!(policy->fs_handled & right))
		return false;
	if (!start)
		return true;
	/* A local first: BPF_CORE_READ(start->mnt) would relocate start's own field too. */
	mnt = start->mnt;
	walk.mnt = mnt;
	walk.mnt_root = BPF_CORE_READ(mnt, mnt_root);
	walk.dentry = start->dentry;
	bpf_loop(CANISTER_ACCESS_LSM_FS_WALK_MAX, access_fs_step, &walk, 0);
	return walk.refused;
}
#else
/* The trace-mode recorder decides no file right in the kernel. */
static __always_inline bool fs_refuses(const struct canister_access_lsm_policy *policy,
				       __u64 contid, __u32 right,
				       const struct access_fs_start *start)
{
	return policy->fs_handled & right;
}
#endif

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
	/* Any file right handled: the topology its paths are decided by stays. */
	if (right == CANISTER_ACCESS_LSM_MOUNT)
		return policy->fs_rights & CANISTER_ACCESS_LSM_FS_RIGHTS;
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
 * nothing is denied; @autobind: the bind to port 0 a listen() makes.
 * Returns whether an enforcing level refuses.
 */
static __always_inline bool judge_and_report(__u64 contid, __u32 tgid, __u32 right, __u32 object,
					     bool recorded_only, bool autobind)
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
	report->object = autobind ? CANISTER_ACCESS_LSM_AUTOBIND : object;
	report->denied = enforce;
	report->recorded_only = recorded_only;
	bpf_get_current_comm(report->comm, sizeof(report->comm));
	bpf_ringbuf_submit(report, 0);
	return enforce;
}

/*
 * Whether a listen() on @sock may take a port without bind(): a TCP socket
 * with no local port yet (inet_num, set by bind() or an earlier listen())
 * is given an ephemeral one by inet_csk_get_port(), as bind() to port 0 is,
 * and socket_bind never sees it.  So is one that is connecting or connected
 * (neither closed nor listening): the hook runs before inet_listen() takes
 * the socket's lock, and another thread's connect(AF_UNSPEC) may disconnect
 * it in between, freeing the port connect() took, so that inet_listen()
 * finds it closed and unbound.  Such a listen() is EINVAL when nothing
 * races, so deciding it too refuses no call that would succeed.
 */
static __always_inline bool listen_autobinds(struct socket *sock)
{
	__u8 state = BPF_CORE_READ(sock, sk, __sk_common.skc_state);

	return tcp_socket(sock) && (!BPF_CORE_READ(sock, sk, __sk_common.skc_num) ||
				    (state != TCP_CLOSE && state != TCP_LISTEN));
}

#endif
