/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: the cgroup v2 each container was registered in, recorded in the
 * pinned container_cgroups map for lsm mode's isolation of cgroup writes.
 */
#ifndef CANISTER_IDENTITY_CONTAINER_CGROUP_H
#define CANISTER_IDENTITY_CONTAINER_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct canister_status_warnings;

/* What a new container's recorded cgroup is. */
enum container_cgroup_choice {
	CONTAINER_CGROUP_OWN,	 /* the cgroup its first process is in */
	CONTAINER_CGROUP_PARENT, /* its parent's recorded one */
	CONTAINER_CGROUP_NONE,	 /* none: the hook's fallback rule applies */
};

/*
 * container_cgroup_choose() - a nested container may write no cgroup its
 * parent may not: it takes its own cgroup only when that is within its
 * parent's recorded one, else the parent's.  @own_read: its first process's
 * cgroup was read; @nested: it has a parent; @parent_recorded: the parent has
 * a recorded cgroup; @own_within_parent: the own cgroup is the parent's or
 * beneath it.  A parent with none (registered by an older canisterd) leaves
 * the container its own cgroup, which its processes, bound by the fallback
 * rule, could only have reached downward.
 */
enum container_cgroup_choice container_cgroup_choose(bool own_read, bool nested,
						     bool parent_recorded, bool own_within_parent);

/* Takes the map from programs.c (after programs_load_label()). */
void container_cgroup_open(void);
void container_cgroup_close(void);

/*
 * container_cgroup_record() - read @pid's cgroup v2 and record it (or its
 * parent's, container_cgroup_choose()) for @contid.  Never fails the
 * registration: a cgroup not read is logged, and the hook's fallback rule
 * applies to the container.  Returns true when one was recorded.
 */
bool container_cgroup_record(uint64_t contid, uint64_t parent, pid_t pid);

/*
 * container_cgroup_found_live() - a container a previous canisterd left
 * (found at start): its recorded cgroup, which the pinned map keeps, is
 * opened by its id and checked for processes not the container's, as at
 * registration.  Nothing is said when it cannot be opened (not beneath
 * this mount namespace's cgroup2).
 */
void container_cgroup_found_live(uint64_t contid);

/* Forgets @contid's (the container dropped, or its registration rolled back). */
void container_cgroup_forget(uint64_t contid);

/*
 * container_cgroup_shared_warnings() - a status warning for the first two
 * containers whose recorded cgroup held processes not their own at
 * registration (counted again now: none left there may mean that the
 * container moved them beneath it), and one that counts the others
 * registered so.
 */
void container_cgroup_shared_warnings(struct canister_status_warnings *warnings);

/* How many live containers have a recorded cgroup (the status). */
uint64_t container_cgroup_recorded(void);

#endif
