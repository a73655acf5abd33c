/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: which container names an orchestrator may give (UUIDs, OCI ids, hex digests). */
#ifndef CANISTER_LIB_NAME_H
#define CANISTER_LIB_NAME_H

#include <stddef.h>

/*
 * canister_name_check() - is @name a container name canister accepts?
 *
 * 1..CANISTER_NAME_MAX characters of [A-Za-z0-9._:+@-]: enough for a UUID,
 * an OCI container id and a 64-hex digest, and nothing that needs quoting in
 * a record, a log line or a shell.  Returns 0, or -EINVAL with the reason in @why.
 */
int canister_name_check(const char *name, char *why, size_t why_len);

#endif
