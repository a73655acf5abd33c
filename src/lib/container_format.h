/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: how containers read to a person (contid chains, ages, the `canister ps` table). */
#ifndef CANISTER_LIB_CONTAINER_FORMAT_H
#define CANISTER_LIB_CONTAINER_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <canister/canister.h>

/* Room for the longest chain: CANISTER_NEST_LIMIT_MAX contids of 20 digits, ",^" between them. */
#define CANISTER_CHAIN_TEXT_MAX (CANISTER_NEST_LIMIT_MAX * 22 + 1)

/*
 * canister_format_chain() - "4", "4,^2", "4,^2,^1" as in records' contid
 * fields (innermost first, each ancestor marked ^), or "unset" for depth 0.
 */
void canister_format_chain(const uint64_t *chain, unsigned int depth, char *buf, size_t len);

/* canister_format_age() - "5s", "3m", "2h", "4d": the largest whole unit; "0s" for the future. */
void canister_format_age(int64_t seconds, char *buf, size_t len);

/*
 * canister_ps_print() - the `canister ps` table: a header, then one row per
 * container (CONTID, NAME, PROCS, FIRST-PID, OWNER, AGE), ages as of @now
 * (seconds since the epoch).  Columns are as wide as their widest cell.
 */
void canister_ps_print(const struct canister_container_entry *entries, size_t count, int64_t now,
		       FILE *out);

#endif
