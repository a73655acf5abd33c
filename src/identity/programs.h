/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: loads and attaches the identity capability's BPF programs; hands out their maps. */
#ifndef CANISTERD_IDENTITY_PROGRAMS_H
#define CANISTERD_IDENTITY_PROGRAMS_H

#include "core/canisterd.h"

/* The maps identity pins under pin_path (NULL-terminated), which outlive canisterd. */
extern const char *const identity_pinned_maps[];

/*
 * programs_load_label() - fork/exec/exit tracking (label.bpf.c) on maps reused
 * from, or newly pinned at, pin_path.  Returns 0, or -errno with @why.
 */
int programs_load_label(struct canisterd *d, char *why, size_t why_len);

/*
 * programs_load_namespaces() - setns/unshare tracking (namespaces.bpf.c) on
 * the label object's maps.  Returns 0, or -errno with @why.
 */
int programs_load_namespaces(struct canisterd *d, char *why, size_t why_len);

/*
 * programs_load_guard() - lsm mode: the BPF LSM hooks that refuse labelled
 * processes signals and ptrace against canisterd.
 * Returns 0, or -errno with @why.
 */
int programs_load_guard(struct canisterd *d, char *why, size_t why_len);

/*
 * programs_load_guard_objects() - lsm mode: the BPF LSM hooks that refuse
 * labelled processes every canister map, program and link (by id, by pin),
 * the pin directory, mounts over the pins or in canisterd's mount namespace,
 * kernel modules and kexec images.  Returns 0, or
 * -errno with @why.
 */
int programs_load_guard_objects(struct canisterd *d, char *why, size_t why_len);

/*
 * programs_load_guard_daemon() - lsm mode, after the guard: the BPF LSM hooks
 * that keep labelled processes from changing canisterd's process (scheduling,
 * limits, cgroups, /proc files, async-I/O signals), from ptracing outside
 * their container, and from making the kernel load code or start a helper on
 * their behalf (guard_daemon.bpf.c).  Returns 0, or -errno with @why.
 */
int programs_load_guard_daemon(struct canisterd *d, char *why, size_t why_len);

/*
 * programs_load_fork_room() - lsm mode: lsm/task_alloc refuses a labelled
 * process a fork (ENOSPC) when the labels map has no room for the child,
 * lsm/task_free gives back the room a failed fork held.  Returns 0, or
 * -errno with @why.
 */
int programs_load_fork_room(struct canisterd *d, char *why, size_t why_len);

/*
 * programs_labels_size() - the labels map's entries, and what labels_max (or
 * pid_max) asked for at this start: they differ when a map pinned by an
 * earlier run kept its size.
 */
void programs_labels_size(unsigned int *ret_entries, unsigned int *ret_wanted);

/* The labels_room map's fd (labels.c owns it), -1 before programs_load_label(). */
int programs_labels_room_fd(void);

/* Destroys the skeletons (our fds); the pinned maps and links stay. */
void programs_close(void);

/*
 * The fd of one of the label object's maps, for its one owner (labels.c:
 * labels and stats; containers.c: containers, census, nsjoin, container_cgroups; register.c:
 * watch; events.c: events; pending.c: fork_room) to take at open.  -1 before programs_load_label().
 */
enum identity_map {
	IDENTITY_MAP_LABELS,
	IDENTITY_MAP_EVENTS,
	IDENTITY_MAP_STATS,
	IDENTITY_MAP_CONTAINERS,
	IDENTITY_MAP_CENSUS,
	IDENTITY_MAP_WATCH,
	IDENTITY_MAP_NSJOIN,
	IDENTITY_MAP_FORK_ROOM,
	IDENTITY_MAP_CONTAINER_CGROUPS,
	IDENTITY_MAP_COUNT,
};
int programs_map_fd(enum identity_map map);

/*
 * The test switch CANISTERD_TEST_INHERIT_FAILURE read at programs_load_label():
 * every Nth insertion of a forked child's label fails with ENOMEM; 0: off.
 */
unsigned int programs_inject_inherit_failure(void);

/*
 * programs_label_attached_ns() - when this run's label programs were
 * attached (CLOCK_MONOTONIC, as a record's ktime_ns), 0 before.  A record
 * sent before was maybe sent by an older run's programs, which said less
 * (abi.h: CANISTER_EXEC_INTERNAL_MOUNT).
 */
uint64_t programs_label_attached_ns(void);

#endif
