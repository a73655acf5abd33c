/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the containers of exited processes, so that their late audit records are attributed. */
#ifndef CANISTER_LIB_PID_HISTORY_H
#define CANISTER_LIB_PID_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The kernel's audit records reach canisterd some time after the event, and
 * the process they name may have exited by then, and its pid been given to
 * another process.  BPF reports every exit (pid, contid, time) and every
 * fork; this table keeps each exited "life" of a pid as [start, exit] with
 * its contid, so that a record stamped at some time is attributed to the life
 * that was running then, not to whoever holds the pid now.
 *
 * Times are nanoseconds on any one monotonic clock (BPF's CLOCK_MONOTONIC);
 * the caller converts a record's stamp to that clock.  Memory is bounded:
 * the table holds at most @capacity lives, and when full the one recorded
 * first goes (canister_pid_history_evicted() counts them).  Not thread-safe.
 */
struct canister_pid_history;

/* Largest capacity accepted: far above any pid_max (2^22), still cheap to index. */
#define CANISTER_PID_HISTORY_MAX_CAPACITY (1U << 24)

/*
 * canister_pid_history_new() - an empty table for up to @capacity exited
 * lives, each kept for @retention_ns after its exit (see _expire()).
 *
 * Returns 0 and the table in *@ret, or -EINVAL (@ret NULL, @capacity 0 or
 * above CANISTER_PID_HISTORY_MAX_CAPACITY) or -ENOMEM.
 */
int canister_pid_history_new(size_t capacity, uint64_t retention_ns,
			     struct canister_pid_history **ret);

/* Frees @h; NULL is accepted. */
void canister_pid_history_free(struct canister_pid_history *h);

/*
 * canister_pid_history_exited() - @pid exited at @exit_ns while in @contid
 * (any value, CANISTER_CONTID_UNSET included, is kept as given).  Its start
 * is the one _started() last gave for @pid, when that is not after @exit_ns;
 * otherwise unknown (taken as 0).  A pid <= 0 is ignored.
 */
void canister_pid_history_exited(struct canister_pid_history *h, pid_t pid, uint64_t contid,
				 uint64_t exit_ns);

/*
 * canister_pid_history_started() - a new process got @pid at @start_ns (a
 * fork): older lives of that pid are no longer the answer for events after
 * @start_ns.  Only a pid that has lives in the table is remembered (the table
 * stays bounded by its exits); the start of a pid without history is unknown
 * when it exits.  A pid <= 0 is ignored.
 */
void canister_pid_history_started(struct canister_pid_history *h, pid_t pid, uint64_t start_ns);

/*
 * canister_pid_history_lookup() - the contid @pid had at @event_ns.
 *
 * A life answers when start <= @event_ns <= exit (an unknown start is 0) and
 * no newer life of @pid is known to have begun before @event_ns (start <
 * @event_ns).  When two lives answer (an instant shared by an exit and the
 * next start, or two unknown starts) the older does: it was the one alive.
 *
 * Returns 0 and *@ret_contid, or -ENOENT: no exited life of @pid covers
 * @event_ns (it is the live process's, or never was known), or -EINVAL
 * (@h or @ret_contid NULL).
 */
int canister_pid_history_lookup(const struct canister_pid_history *h, pid_t pid, uint64_t event_ns,
				uint64_t *ret_contid);

/*
 * canister_pid_history_expire() - forgets lives that exited before
 * @now_ns - retention (an exit exactly at that instant is kept).  Lives go in
 * the order they were recorded, so one recorded late with an older exit stays
 * until those before it have gone.
 */
void canister_pid_history_expire(struct canister_pid_history *h, uint64_t now_ns);

/* The number of lives in the table. */
size_t canister_pid_history_size(const struct canister_pid_history *h);

/* How many lives were dropped, before their time, because the table was full. */
uint64_t canister_pid_history_evicted(const struct canister_pid_history *h);

#endif
