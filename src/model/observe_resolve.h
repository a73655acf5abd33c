/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: what an observed event lacks, from /proc: the
 * TASK_IDs of the actor and the target, and a mapped file's path and digest.
 */
#ifndef CANISTER_MODEL_OBSERVE_RESOLVE_H
#define CANISTER_MODEL_OBSERVE_RESOLVE_H

#include "model/observe_decode.h"

#include <sys/types.h>

/*
 * canister_model_process_task_id() - the TASK_ID of process @pid as it runs
 * now: its executable (/proc/PID/exe: inode, filesystem, path, content
 * digest) with its current credentials as the COE.  (The daemon keeps each
 * process's TASK_ID from its exec; this is for tools and for processes
 * that executed before anyone watched.)  Returns 0, -ESRCH (gone), or the
 * errors of stat, read and canister_model_task_id().
 */
int canister_model_process_task_id(uint32_t pid, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * canister_model_observed_resolve() - fills what @observed's record could
 * not carry: the actor's TASK_ID, the target's (task_kill,
 * ptrace_access_check), a mapped file's path (into @path, @path_size
 * bytes) and content digest, the file checked to be the recorded inode.
 * Best effort by nature: a process or descriptor may be gone by the time
 * its record is read.  Returns 0, -ESRCH (a process is gone, or a pid
 * from a nested pid namespace), -ESTALE (the file is no longer the
 * recorded one), or the errors of reading /proc and the file.
 */
int canister_model_observed_resolve(struct canister_model_observed *observed, char *path,
				    size_t path_size);

/* canister_model_kernel_dev() - a record's device, the kernel's s_dev (major << 20 | minor), as
 * userspace's dev_t (stat's st_dev). */
dev_t canister_model_kernel_dev(uint64_t dev);

/*
 * canister_model_observed_open_mapped() - the file a file-backed mmap_file
 * record (@o) mapped, opened read-only into *@ret_fd, its path as canisterd
 * sees it in @path: through the mapper's descriptor (trace mode) or, once
 * that is closed or in lsm mode, its mapping in /proc/PID/maps, checked to
 * be the recorded inode.
 * Returns 0, -ESRCH (the process or descriptor is gone), -ESTALE (the file
 * is no longer the recorded one), or the errors of readlink and open.
 */
int canister_model_observed_open_mapped(const struct canister_model_observed *o, char *path,
					size_t path_size, int *ret_fd);

#endif
