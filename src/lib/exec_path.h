/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: find a command as execvp(3) does; can it run?  Asked before anything is registered. */
#ifndef CANISTER_LIB_EXEC_PATH_H
#define CANISTER_LIB_EXEC_PATH_H

#include <stddef.h>

/*
 * canister_exec_find() - resolve @name as execvp(3) does (through @search_path,
 * ":"-separated, when @name has no slash; NULL means "/bin:/usr/bin") and check
 * what execve(2) would refuse, so that `canister run` can refuse a command
 * before it registers a container for it.  Errors, in the order checked:
 *   -ENOENT       nothing by that name (on the path), or a #! interpreter that is missing
 *   -EACCES       found, but not a regular file, without execute permission for us, or on a
 *                 noexec mount (also the interpreter of a #! script)
 *   -ENAMETOOLONG a path longer than PATH_MAX
 *   -ELOOP        #! interpreters nested deeper than the kernel follows
 * A later candidate on the path wins over an earlier one that gave -EACCES,
 * as with execvp(3), but -EACCES is returned when none runs.  On success the
 * path to give execv(2) is in @ret_path (@len bytes).  A file that is neither
 * ELF nor #! passes: execvp(3) runs it with /bin/sh, and so does the caller.
 */
int canister_exec_find(const char *name, const char *search_path, char *ret_path, size_t len);

/* canister_exec_status() - the exit status a shell gives a command that failed with -@r: 126 or
 * 127. */
int canister_exec_status(int r);

#endif
