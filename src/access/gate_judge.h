/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the held access policies decide the opens and execs the file gate holds. */
#ifndef CANISTERD_ACCESS_GATE_JUDGE_H
#define CANISTERD_ACCESS_GATE_JUDGE_H

#include "access/gate_decide.h"
#include "integrity/gate.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * The file gate's guard (gate.h, struct gate_guard), which the integrity
 * capability gives its gate: for a labelled opener, each level of its chain
 * that holds a policy judges an exec (execute) or an open (read, write, as
 * the open asks) of the path as the container sees it; a level in enforce
 * that refuses denies (EPERM), one in complain only records.
 */
extern const struct gate_guard access_gate_guard;

/*
 * access_gate_levels_locked() - the levels of @chain[0..@depth) whose policy
 * (or, for a container that brought none, canister.conf's default) handles
 * one of @rights, into @ret (may be NULL: counted only).  The policies are
 * valid while access_held_lock() is held, which the caller holds.
 */
unsigned int access_gate_levels_locked(const uint64_t *chain, unsigned int depth, uint32_t rights,
				       struct access_gate_level *ret);

/*
 * access_gate_wants_opens() - whether a held policy handles read or write:
 * then the gate must see every open (FAN_OPEN_PERM).  Main loop.
 */
bool access_gate_wants_opens(void);

#endif
