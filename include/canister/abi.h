/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the values and records that BPF programs and userspace exchange through maps. */
#ifndef CANISTER_ABI_H
#define CANISTER_ABI_H

/*
 * This header is compiled twice: by clang -target bpf (where vmlinux.h already
 * provides the __u32/__u64 types) and by gcc for userspace.  Everything here is
 * fixed-width, explicitly padded and pointer-free, and each size is frozen so
 * that a change to the layout breaks the build instead of the pinned maps.
 */
#ifndef __bpf__
#include <linux/types.h>
#endif

/* (u64)-1 means "no container"; it can never be registered. */
#define CANISTER_CONTID_UNSET ((__u64)-1)

/* Names under the pin directory; they are the maps' own names, so bpftool shows the same. */
#define CANISTER_MAP_LABELS "labels"
#define CANISTER_MAP_EVENTS "events"
#define CANISTER_MAP_STATS "stats"
#define CANISTER_LINKS_DIR "links"

/* Upper bound of labelled thread groups; a full map refuses registration (ENOSPC). */
#define CANISTER_MAX_LABELLED 65536
#define CANISTER_EVENTS_BYTES (256 * 1024)

/* Value of the labels map, keyed by thread-group id (the kernel's tgid, init pid namespace). */
struct canister_label {
	__u64 contid;
	__u32 flags; /* reserved for later capabilities; always 0 today */
	__u32 reserved;
};
_Static_assert(sizeof(struct canister_label) == 16, "canister_label is ABI");

enum canister_event_type {
	/* A labelled thread group created a new thread group, which inherited its label. */
	CANISTER_EV_FORK = 1,
	/* The last thread of a labelled thread group exited; its label is gone. */
	CANISTER_EV_EXIT = 2,
	/* A labelled thread group forked but its child could not be labelled (map full). */
	CANISTER_EV_INHERIT_FAILED = 3,
	/* lsm mode: a labelled process was refused access to canister itself. */
	CANISTER_EV_GUARD_DENIED = 4,
};

/* One ring-buffer record. */
struct canister_event {
	__u32 type; /* enum canister_event_type */
	__u32 tgid;
	__u32 other_tgid; /* FORK: the parent; GUARD_DENIED: the target, or 0 */
	__u32 detail;	  /* GUARD_DENIED: enum canister_guard_hook */
	__u64 contid;
	__u64 ktime_ns; /* bpf_ktime_get_ns(), CLOCK_MONOTONIC */
};
_Static_assert(sizeof(struct canister_event) == 32, "canister_event is ABI");

enum canister_guard_hook {
	CANISTER_GUARD_BPF_MAP = 1,
	CANISTER_GUARD_TASK_KILL = 2,
	CANISTER_GUARD_PTRACE = 3,
};

/* Indexes of the per-CPU stats array; userspace sums the CPUs. */
enum canister_stat {
	CANISTER_STAT_INHERITED = 0,	  /* labels copied at fork */
	CANISTER_STAT_CLEARED = 1,	  /* labels removed at thread-group exit */
	CANISTER_STAT_EVENTS = 2,	  /* records submitted to the ring buffer */
	CANISTER_STAT_LOST = 3,		  /* records dropped because the ring buffer was full */
	CANISTER_STAT_INHERIT_FAILED = 4, /* children that could not be labelled */
	CANISTER_STAT_GUARD_DENIED = 5,	  /* lsm mode: refusals by the guard hooks */
	CANISTER_STAT_MAX = 8,
};

#endif /* CANISTER_ABI_H */
