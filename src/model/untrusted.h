/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the processes a sealed model found outside it, untrusted for good, and their children.
 */
#ifndef CANISTERD_MODEL_UNTRUSTED_H
#define CANISTERD_MODEL_UNTRUSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Processes marked at most while they live.  Past it a mark is refused and
 * counted (model_untrusted_stats()), and `canister status` warns: a mark is
 * never dropped to make room, since untrusted is for good.
 */
#define MODEL_UNTRUSTED_MAX 16384

/*
 * model_untrusted_mark() - thread group @tgid (started at @start_time, so a
 * reused pid is another process), of container @contid, is untrusted.
 * Returns 0, 1 when it was already, -E2BIG when the set is full.
 */
int model_untrusted_mark(pid_t tgid, uint64_t start_time, uint64_t contid);

/* model_untrusted_has() - whether @tgid (started at @start_time) is marked. */
bool model_untrusted_has(pid_t tgid, uint64_t start_time);

/* model_untrusted_forget() - @tgid ended: its mark goes with it (not its children's). */
void model_untrusted_forget(pid_t tgid);

/* model_untrusted_list() - up to @max marked pids of container @contid; returns how many. */
size_t model_untrusted_list(uint64_t contid, pid_t *ret_pids, size_t max);

/* model_untrusted_stats() - marked now, marks ever made, marks refused for want of room. */
void model_untrusted_stats(size_t *ret_marked, uint64_t *ret_made, uint64_t *ret_refused);

void model_untrusted_clear(void);

#endif
