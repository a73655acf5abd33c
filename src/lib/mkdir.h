/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: creating the directories that canisterd's state and logs live in. */
#ifndef CANISTER_LIB_MKDIR_H
#define CANISTER_LIB_MKDIR_H

#include <sys/types.h>

/*
 * canister_mkdir_p() - create @dir and its missing parents with @mode
 * (existing ones are left as they are).  Returns 0 or -errno
 * (-ENAMETOOLONG for paths of 512 bytes or more).
 */
int canister_mkdir_p(const char *dir, mode_t mode);

/* canister_mkdir_parent() - canister_mkdir_p() of the directory holding @path. */
int canister_mkdir_parent(const char *path, mode_t mode);

#endif
