/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: parsing and printing container IDs and process IDs given by users. */
#ifndef CANISTER_LIB_CONTID_H
#define CANISTER_LIB_CONTID_H

#include <stdint.h>
#include <sys/types.h>

/*
 * canister_parse_contid() - read a contid written in decimal.
 *
 * Accepts 0 .. 2^64-2 with no sign, no spaces and no other base.
 * Returns 0 and sets *ret_contid, or:
 *   -EINVAL  empty, not a decimal number, or (u64)-1 (reserved for "unset")
 *   -ERANGE  larger than 2^64-1
 */
int canister_parse_contid(const char *text, uint64_t *ret_contid);

/*
 * canister_parse_pid() - read a process ID (1 .. INT32_MAX) written in decimal.
 * Returns 0 and sets *ret_pid, or -EINVAL / -ERANGE as above.
 */
int canister_parse_pid(const char *text, pid_t *ret_pid);

#endif
