/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a small file written whole or not at all (a temporary file, fsync, then into place). */
#ifndef CANISTER_LIB_WHOLE_FILE_H
#define CANISTER_LIB_WHOLE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * canister_write_whole_file() - @len bytes at @data as @path, through @temp
 * (in the same directory; a leftover from a write that never finished is
 * removed first, never followed), created with @mode, written, fsynced, then
 * renamed over @path (@replace) or linked to it (!@replace: a file already at
 * @path stays and the call fails with -EEXIST).  @temp is gone afterwards.
 * Returns 0, or -errno with "PATH: cannot create|write: reason" in @why.
 */
int canister_write_whole_file(const char *path, const char *temp, const void *data, size_t len,
			      mode_t mode, bool replace, char *why, size_t why_len);

#endif
