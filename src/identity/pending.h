/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: labels pending in task storage (lsm mode), which the labels map could not take. */
#ifndef CANISTERD_IDENTITY_PENDING_H
#define CANISTERD_IDENTITY_PENDING_H

#include <canister/abi.h>
#include <stdbool.h>
#include <sys/types.h>

/* The pending label of the process that has pid @tgid now: 0, or -ENOENT. */
int pending_lookup(pid_t tgid, struct canister_label *ret_label);

/*
 * pending_take() - @tgid's label was written to the labels map: its pending
 * label, if any, stops being its label.  True when there was one: its slot of
 * labels_room is then the caller's to give back.
 */
bool pending_take(pid_t tgid);

/* pending_enable() - lsm mode: labels may be pending, and pending_for_each() looks for them. */
void pending_enable(bool enabled);

/*
 * pending_for_each() - call @visit for every process whose label is pending
 * now (lsm mode), until it returns false.  It walks /proc and asks each
 * process's task storage by pidfd: for what runs rarely (a start, a
 * ring-buffer loss, a container about to be dropped), not per request.
 * Returns 0 or -errno.
 */
int pending_for_each(bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
		     void *ctx);

#endif
