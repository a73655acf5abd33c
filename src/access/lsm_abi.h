/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: what canisterd and bpf/access_lsm.bpf.c share: held policies as maps, and reports. */
#ifndef CANISTER_ACCESS_LSM_ABI_H
#define CANISTER_ACCESS_LSM_ABI_H

/*
 * Shared by the BPF object (vmlinux.h's types) and canisterd (linux/types.h).
 * The maps are pinned and outlive canisterd: a build that changes a layout
 * here must be loaded after `canisterd --unload` (the load then fails with
 * EINVAL, as for identity's maps).
 */

/* Pin names, beside identity's maps under pin_path. */
#define CANISTER_MAP_ACCESS_POLICIES "access_policies"
#define CANISTER_MAP_ACCESS_PORTS "access_ports"
#define CANISTER_MAP_ACCESS_REPORTS "access_reports"
#define CANISTER_MAP_ACCESS_COUNTS "access_counts"
#define CANISTER_MAP_ACCESS_FS_RULES "access_fs_rules"
#define CANISTER_MAP_ACCESS_FS_MARKS "access_fs_marks"
#define CANISTER_MAP_ACCESS_FS_EVICTED "access_fs_evicted"
#define CANISTER_MAP_ACCESS_FS_STATE "access_fs_state"
#define CANISTER_MAP_ACCESS_FS_INODES "access_fs_inodes"
#define CANISTER_MAP_ACCESS_FS_SBS "access_fs_sbs"
#define CANISTER_MAP_ACCESS_WORKLOAD "access_workload"

/*
 * Containers whose policy the maps hold; a policy for one more is refused
 * at load.  Each handled net right of a container takes a bitmap of every
 * TCP port (8 KiB, allocated when the policy is loaded), so any set of port
 * ranges fits: the number of containers is the only limit.
 */
#define CANISTER_ACCESS_LSM_CONTAINERS_MAX 4096
/*
 * canister.conf's access_policy, the policy of every container with no entry
 * of its own, is held under this key (no container has it: it is
 * CANISTER_CONTID_UNSET), in one slot beyond the containers'.
 */
#define CANISTER_ACCESS_LSM_DEFAULT_KEY ((__u64)-1)
#define CANISTER_ACCESS_LSM_ENTRIES_MAX (CANISTER_ACCESS_LSM_CONTAINERS_MAX + 1)
#define CANISTER_ACCESS_LSM_PORT_WORDS (65536 / 64)
#define CANISTER_ACCESS_LSM_REPORTS_BYTES (64 * 1024)
/* CANISTER_NEST_LIMIT_MAX (canister.h, which BPF does not include); canisterd asserts they agree.
 */
#define CANISTER_ACCESS_LSM_NEST_MAX 20

/* access_policies' mode: canister_access_mode's, kept apart from it (this is a pinned layout). */
#define CANISTER_ACCESS_LSM_ENFORCE 1
#define CANISTER_ACCESS_LSM_COMPLAIN 2

/* The right a report is about: the net rights are CANISTER_ACCESS_NET_BIND/CONNECT (policy.h). */
#define CANISTER_ACCESS_LSM_BIND 1
#define CANISTER_ACCESS_LSM_CONNECT 2
#define CANISTER_ACCESS_LSM_CAPABLE 4
/* The file rights BPF LSM decides: policy.h's CANISTER_ACCESS_FS_CREATE and _REMOVE bits. */
#define CANISTER_ACCESS_LSM_CREATE 8
#define CANISTER_ACCESS_LSM_REMOVE 16
#define CANISTER_ACCESS_LSM_FS (CANISTER_ACCESS_LSM_CREATE | CANISTER_ACCESS_LSM_REMOVE)
/*
 * A change of the mount topology (access_mount.bpf.h), refused to a process
 * whose chain handles any file right: the report's object is the operation.
 */
#define CANISTER_ACCESS_LSM_MOUNT 32
#define CANISTER_ACCESS_LSM_OP_MOUNT 1	    /* mount(2): new, bind, remount, move, propagation */
#define CANISTER_ACCESS_LSM_OP_UMOUNT 2	    /* umount2(2) */
#define CANISTER_ACCESS_LSM_OP_MOVE_MOUNT 3 /* move_mount(2): fsmount() or open_tree() attached */
#define CANISTER_ACCESS_LSM_OP_PIVOT_ROOT 4 /* pivot_root(2) */
/* The file rights any of which keeps a policy's processes off mounts: policy.h's five. */
#define CANISTER_ACCESS_LSM_FS_RIGHTS 0x1fu

/*
 * Rule paths bound to inodes, every container's together: a policy holds at
 * most 1024 rules, and a load that does not fit is refused whole.
 */
#define CANISTER_ACCESS_LSM_FS_RULES_MAX 65536
/* Superblocks holding a marked inode (their epochs: access_fs_sbs). */
#define CANISTER_ACCESS_LSM_FS_SBS_MAX 4096
/*
 * How many directories a decision walks up from the file, mount points
 * crossed included; a file deeper than that is beneath no rule (refused).
 */
#define CANISTER_ACCESS_LSM_FS_WALK_MAX 64
/* Mounts stacked on one mount point the walk climbs at one step. */
#define CANISTER_ACCESS_LSM_FS_STACK_MAX 8
/* A report's path: its last components, each cut at this many bytes. */
#define CANISTER_ACCESS_LSM_FS_PARTS 8
#define CANISTER_ACCESS_LSM_FS_PART_BYTES 64

/* access_policies' value: one container's own policy, as far as BPF LSM decides it. */
struct canister_access_lsm_policy {
	__u64 cap_dropped;   /* bit N: capability N is outside the bound */
	__u32 mode;	     /* CANISTER_ACCESS_LSM_ENFORCE or _COMPLAIN */
	__u32 net_handled;   /* CANISTER_ACCESS_LSM_BIND | _CONNECT: decided by access_ports */
	__u32 fs_handled;    /* CANISTER_ACCESS_LSM_CREATE | _REMOVE: decided by access_fs_rules */
	__u32 fs_generation; /* the access_fs_rules entries of this policy carry it */
	__u32 fs_rights;     /* every file right it handles (_FS_RIGHTS): any one refuses mounts */
	__u32 pad;	     /* 0 */
};

/*
 * access_fs_rules' key: a rule's path as canisterd resolved it when the
 * policy was loaded, in the container's root: its inode.  @dev is the
 * kernel's own s_dev (major << 20 | minor), not stat(2)'s encoding.
 */
struct canister_access_lsm_fs_key {
	__u64 contid;
	__u64 ino;
	__u32 dev;
	__u32 generation; /* the policy value's fs_generation: a reload's entries are apart */
};

/* The create and remove rights the rules on that path allow, and those they deny. */
struct canister_access_lsm_fs_rule {
	__u32 allowed;
	__u32 denied;
};

/*
 * access_fs_marks' value (inode storage): this inode is a rule path of some
 * held policy, bound when it was loaded.  @ino and @dev are the inode's own
 * (i_ino, i_sb->s_dev), the access_fs_rules keys of its rules.  A new inode
 * that took a freed one's number has no mark, so none of its rules.
 */
struct canister_access_lsm_fs_mark {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

/* access_fs_evicted's key: a marked inode evicted from the inode cache, still on its filesystem. */
struct canister_access_lsm_fs_inode {
	__u64 ino;
	__u32 dev;
	__u32 pad; /* 0 */
};

/* access_fs_state's slots (an array, one __u64 each). */
enum canister_access_lsm_fs_state {
	CANISTER_ACCESS_LSM_FS_EVICTED = 0, /* entries of access_fs_evicted: a miss looks there */
	CANISTER_ACCESS_LSM_FS_UNKEPT,	    /* evictions access_fs_evicted had no room for */
	CANISTER_ACCESS_LSM_FS_STATE_MAX,
};

/*
 * canisterd's request to mark an inode: written under its thread's
 * bpf_get_current_pid_tgid() in the (unpinned) access_fs_binding map, then
 * fcntl(O_PATH fd, F_GETFD, CANISTER_ACCESS_LSM_FS_BIND_COOKIE) on the
 * inode's fd; the lsm/file_fcntl program marks the fd's inode and answers
 * with its identity and @done = 1.
 */
struct canister_access_lsm_fs_binding {
	__u64 ino;
	__u32 dev;
	__u32 done;
};

#define CANISTER_ACCESS_LSM_FS_BIND_COOKIE 0x63616e6973746572ULL /* "canister" */

/* access_ports' key: the ports one container grants for one right. */
struct canister_access_lsm_ports_key {
	__u64 contid;
	__u32 right; /* CANISTER_ACCESS_LSM_BIND or _CONNECT */
	__u32 pad;   /* 0 */
};

/* Bit P set: TCP port P is granted.  No entry: none is. */
struct canister_access_lsm_ports {
	__u64 words[CANISTER_ACCESS_LSM_PORT_WORDS];
};

/* access_counts' slots (an array, one __u64 each). */
enum canister_access_lsm_count {
	CANISTER_ACCESS_LSM_DENIED = 0, /* every denial, reported or not */
	CANISTER_ACCESS_LSM_COMPLAINED, /* what complain let through that enforce would deny */
	CANISTER_ACCESS_LSM_LOST,	/* reports the ring buffer had no room for */
	CANISTER_ACCESS_LSM_COUNT_MAX,
};

/* One decision a level's policy refused: denied, or (complain) let through. */
struct canister_access_lsm_report {
	__u64 contid; /* the subject's own container */
	__u64 by;     /* the level whose policy refused */
	__u32 tgid;
	__u32 right;  /* CANISTER_ACCESS_LSM_BIND, _CONNECT, _CAPABLE, _CREATE, _REMOVE, _MOUNT */
	__u32 object; /* the TCP port (or _AUTOBIND), the capability's number, or a mount's _OP_ */
	__u32 denied; /* 0: complain, allowed */
	__u32 recorded_only; /* trace mode: seen at the syscall, nothing could deny it */
	char comm[16];
};

/*
 * A bind report's object for a listen() on a TCP socket with no local port,
 * which takes an ephemeral one without bind(): decided as port 0, reported
 * as a value no port has, so that the record says autobind.  Not a field of
 * its own: the report's layout stays the one the pinned programs of an
 * earlier run write into the ring buffer (reserved, not zeroed).
 */
#define CANISTER_ACCESS_LSM_AUTOBIND 65536

/*
 * access_workload's value (task storage of a thread group's leader): the
 * group executed a program while labelled into a container, or descends
 * from one that did.  Only such a process is refused a mount: before its
 * first exec, a container's first process is the runtime's init, which
 * mounts and pivots into the rootfs after the OCI hook labelled it.
 */
struct canister_access_lsm_workload {
	__u32 executed; /* 1 */
	__u32 pad;
};

/*
 * A create, remove or mount report: the base (object: 0, or for a mount
 * the CANISTER_ACCESS_LSM_OP_*, the path its target), then the path's last
 * components, innermost first, each NUL-terminated; @parts says how many
 * were read, @whole whether they reach the root.
 */
struct canister_access_lsm_fs_report {
	struct canister_access_lsm_report base;
	__u64 ino; /* the removed file's inode, or the directory's for a create */
	__u32 parts;
	__u32 whole;
	char names[CANISTER_ACCESS_LSM_FS_PARTS][CANISTER_ACCESS_LSM_FS_PART_BYTES];
};

#endif
