/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the table of live containers (pinned maps), their process counts and their drop. */
#ifndef CANISTERD_CONTAINERS_H
#define CANISTERD_CONTAINERS_H

#include "core/canisterd.h"

#include <canister/abi.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * containers_open() - take the containers, census and nsjoin maps from
 * programs.c, and learn the containers already there.  Returns 0 or -ENOMEM.
 */
int containers_open(struct canisterd *d);
void containers_close(void);

/* Containers dropped since canisterd started. */
uint64_t containers_dropped_count(void);

/* The entry of live container @contid: 0, or -ENOENT. */
int containers_lookup(const struct canisterd *d, uint64_t contid, struct canister_container *ret);

/*
 * containers_parent() - the container live container @contid nests in
 * (CANISTER_CONTID_UNSET for a top-level one), from the copy in memory of
 * the containers map: no system call.  Safe on any thread, and never waits
 * for the main loop: while it writes the copy, the map answers.  Returns 0,
 * or -ENOENT for no such container.
 */
int containers_parent(uint64_t contid, uint64_t *ret_parent);

/*
 * containers_chain() - @contid and the containers it nests in, innermost
 * first, in @chain (CANISTER_NEST_LIMIT_MAX entries); *ret_depth is 0 for
 * CANISTER_CONTID_UNSET.  A contid with no entry (a label left by an older
 * canister) is a chain of one.
 */
void containers_chain(const struct canisterd *d, uint64_t contid, uint64_t *chain,
		      unsigned int *ret_depth);

/* Live thread groups of @contid: what canisterd registered plus BPF's forks minus exits. */
int64_t containers_processes(const struct canisterd *d, uint64_t contid);

/* Creates the entries of a new container (census at 0).  Returns 0 or -errno. */
int containers_create(struct canisterd *d, uint64_t contid, const struct canister_container *c);

/* Adds @by to the processes canisterd has put into (or, negative, moved out of) @contid. */
int containers_adjust(struct canisterd *d, uint64_t contid, int64_t by);

/* Removes every entry of @contid without a record (a registration rolled back). */
void containers_destroy(struct canisterd *d, uint64_t contid);

/*
 * containers_publish_nsjoin() - let processes that setns into @c's pid and
 * mount namespaces join it; skipped when they are canisterd's own (a
 * container that shares the host's namespaces cannot be told apart by them).
 */
void containers_publish_nsjoin(struct canisterd *d, uint64_t contid,
			       const struct canister_container *c);

/*
 * containers_check_drop() - if @contid has no process left and no live nested
 * container, write its op=drop record and forget it (its contid is free
 * again); then its parent gets the same check.  The count is confirmed by a
 * walk over the labels map (and pending labels) before anything is dropped.
 * The record is stamped when the drop is decided: the count is read then,
 * and the exit that asked for the check may be one of a backlog whose last
 * exit, the one that emptied the container, came later.
 */
void containers_check_drop(struct canisterd *d, uint64_t contid);

/*
 * containers_reconcile() - check every container for a drop; at start-up
 * (exits while canisterd was stopped) and after ring-buffer losses.
 */
void containers_reconcile(struct canisterd *d);

/* Calls @visit for every live container until it returns false. */
void containers_for_each(const struct canisterd *d,
			 bool (*visit)(uint64_t contid, const struct canister_container *c,
				       void *ctx),
			 void *ctx);

/*
 * Number of thread groups whose label carries @contid: a walk over the
 * labels map and, in lsm mode, over /proc for pending labels.
 */
uint64_t containers_count_labelled(const struct canisterd *d, uint64_t contid);

#endif
