/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: a model file read from disk and checked, for the CLI and the OCI hook.
 */
#ifndef CANISTER_MODEL_MODEL_FILE_READ_H
#define CANISTER_MODEL_MODEL_FILE_READ_H

#include <stddef.h>

/*
 * canister_model_file_read() - the model file at @path, read as a policy file
 * is (a regular file, not a symlink, owned by the caller, nobody else may
 * write it) and parsed, so that a refusal names the file and its line, into
 * *@ret_text (free()) and *@ret_len.  At most @max bytes: the control socket's
 * limit.  Returns 0, or -errno with one line in @why: -E2BIG (longer than
 * @max), the errors of canister_read_trusted_named_file() and of
 * canister_model_file_parse() ("FILE:LINE: reason").
 */
int canister_model_file_read(const char *path, size_t max, char **ret_text, size_t *ret_len,
			     char *why, size_t why_len);

#endif
