/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: reads a file that controls canisterd (config, audit rules) only if nobody else could
 * write it. */
#ifndef CANISTER_LIB_TRUSTED_FILE_H
#define CANISTER_LIB_TRUSTED_FILE_H

#include <stddef.h>

/*
 * canister_read_trusted_file() - the whole of @path, NUL-terminated, in
 * *ret_text (free() it), if it is a regular file (a final symlink is not
 * followed), owned by the caller's effective uid and not writable by group or
 * others: whoever can write it controls the daemon.  Returns 0, or -ENOENT
 * (no message), -EPERM, -EINVAL (not a regular file; FIFOs are refused, not
 * waited on), -EFBIG (over @max bytes), -ENOMEM or another -errno, with
 * "PATH: reason" in @err.
 */
int canister_read_trusted_file(const char *path, size_t max, char **ret_text, size_t *ret_len,
			       char *err, size_t err_len);

/*
 * canister_read_trusted_named_file() - canister_read_trusted_file() for a
 * file the caller names as @what ("policy file", "certificate file"), with a
 * message for every error: a symlink is -EINVAL ("PATH: refused: a symlink
 * (name the WHAT itself)"), a missing file -ENOENT ("PATH: no such file").
 */
int canister_read_trusted_named_file(const char *path, const char *what, size_t max,
				     char **ret_text, size_t *ret_len, char *err, size_t err_len);

#endif
