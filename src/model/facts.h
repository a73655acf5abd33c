/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what a behaviour event is made of, read from the kernel: file CELL, TASK_ID (COE:
 * proc_coe.h). */
#ifndef CANISTERD_MODEL_FACTS_H
#define CANISTERD_MODEL_FACTS_H

#include "model/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * model_facts_file() - the file CELL of the open file @fd as container
 * @contid's process @pid sees it: the path in the process's root (@path,
 * @path_len bytes), the inode's owner and mode, the filesystem's magic and
 * UUID, and the content's digest from integrity's digest cache (or the
 * pseudonym digest the container's model names for the path).  Returns 0,
 * -ENOTSUP for a file the model does not take (not a regular file, or on a
 * pseudo filesystem such as proc or sysfs, whose content is the reader's),
 * or -errno.
 */
int model_facts_file(int fd, pid_t pid, uint64_t contid, char *path, size_t path_len,
		     struct canister_model_file *ret);

/*
 * model_facts_exec_unseen() - whether container @contid's @pid runs an
 * executable that has no link left (a memfd, an O_TMPFILE or deleted file)
 * and that the gate did not see it execute (the container's TASK_ID table
 * holds no entry for its thread group, start time and executable).
 * Returns 1 (unseen), 0, or -errno (@pid is gone).
 */
int model_facts_exec_unseen(pid_t pid, uint64_t contid);

/*
 * model_facts_task() - @pid's start time and TASK_ID: remembered from its
 * exec (model_task_ids), or derived from /proc/PID/exe and its credentials
 * now (and remembered).  Returns 0, or -errno (the process is gone).
 */
int model_facts_task(pid_t pid, uint64_t contid, uint64_t *ret_start_time,
		     uint8_t ret_task_id[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * model_facts_exec() - container @contid's @pid (started at @start_time) is
 * executing the file @exe with credentials @coe: the TASK_ID it will run as,
 * remembered in the container's table by the executable's @dev and @ino for
 * its later events.  Returns 0 or -errno.
 */
int model_facts_exec(pid_t pid, uint64_t contid, uint64_t start_time,
		     const struct canister_model_coe *coe, const struct canister_model_file *exe,
		     uint64_t dev, uint64_t ino);

/* model_facts_comm() - @pid's command name into @buf (empty when gone). */
void model_facts_comm(pid_t pid, char *buf, size_t len);

#endif
