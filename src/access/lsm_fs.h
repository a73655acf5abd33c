/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: lsm mode: a policy's create and remove rule paths bound to inodes in its container's
 * root. */
#ifndef CANISTERD_ACCESS_LSM_FS_H
#define CANISTERD_ACCESS_LSM_FS_H

#include "access/policy.h"

#include <linux/types.h>
#include <stdbool.h>

#include <stddef.h>
#include <stdint.h>

#include "access/lsm_abi.h"

/* How long the helper that resolves a policy's paths may take before it is killed. */
#define ACCESS_LSM_FS_DEADLINE_MS 2000

/* The maps a binding writes: access_fs_rules, and this run's access_fs_binding. */
struct access_lsm_fs_maps {
	int rules_fd;
	int binding_fd;
};

/*
 * access_lsm_fs_bind() - put @policy's create and remove rules into the
 * access_fs_rules map of @maps under (@contid, @generation): each rule path
 * resolved, at this moment, in the root of a live process of container
 * @contid (canisterd's own root for the default policy's key), by a helper
 * process, inside that root alone and without following symlinks, to an
 * O_PATH fd passed back to canisterd, whose inode the lsm/file_fcntl
 * program then marks (inode storage, access_fs_marks): the rules' key is
 * that inode's own (i_ino, s_dev), and only a marked inode is read for
 * rules.  A path that does not resolve binds nothing when it allows (its
 * rights stay refused beneath it); a deny binds to the nearest ancestor
 * that does (erring closed: more is refused).  Every such path is logged.
 * Returns 0, or -errno with @why: -E2BIG (the map is full), -ESRCH (no
 * live process of the container to resolve in), -ETIMEDOUT (the helper
 * took longer than ACCESS_LSM_FS_DEADLINE_MS), -ENOTRECOVERABLE (the
 * marking program did not answer), -ENOMEM, or the map's.
 * On failure some of the generation's entries may be written: the caller
 * removes them with access_lsm_fs_unbind().
 */
int access_lsm_fs_bind(const struct access_lsm_fs_maps *maps, uint64_t contid, uint32_t generation,
		       const struct canister_access_policy *policy, char *why, size_t why_len);

/*
 * access_lsm_fs_unbind() - remove @contid's entries from the map @fd,
 * those of generation @keep aside (0: keep none).
 */
void access_lsm_fs_unbind(int fd, uint64_t contid, uint32_t keep);

/* Whether an access_fs_rules key is one to drop. */
typedef bool (*access_lsm_fs_match)(const struct canister_access_lsm_fs_key *key, const void *arg);

/* access_lsm_fs_drop_if() - remove every entry of the map @fd that @match takes (with @arg). */
void access_lsm_fs_drop_if(int fd, access_lsm_fs_match match, const void *arg);

/* access_lsm_fs_bound() - whether @contid has entries of @generation in the map @fd. */
bool access_lsm_fs_bound(int fd, uint64_t contid, uint32_t generation);

#endif
