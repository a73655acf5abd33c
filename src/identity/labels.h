/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the one owner of the pinned labels map (thread group -> label) and of BPF's counters.
 */
#ifndef CANISTERD_IDENTITY_LABELS_H
#define CANISTERD_IDENTITY_LABELS_H

#include <canister/abi.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * labels_open() - take the maps from programs.c (after programs_load_label())
 * and map labels_room.  Returns 0, or -errno with @why.
 */
int labels_open(char *why, size_t why_len);
void labels_close(void);

/* The label of thread group @tgid: 0, -ENOENT when it has none, or another -errno. */
int labels_lookup(pid_t tgid, struct canister_label *ret_label);

/*
 * labels_write() - give @tgid @label (created or replaced).  Returns 0,
 * -ENOSPC when the labels map has no room for another entry, or -errno.
 */
int labels_write(pid_t tgid, const struct canister_label *label);

/* labels_delete() - @tgid loses its label (nothing if it has none). */
void labels_delete(pid_t tgid);

/*
 * labels_restore() - undo a labels_write(): @tgid gets @old back if it
 * @had_label, else loses its label.
 */
void labels_restore(pid_t tgid, const struct canister_label *old, bool had_label);

/*
 * labels_for_each() - call @visit for every labelled thread group, until it
 * returns false.  Entries that vanish during the walk (exits) may be missed;
 * none is visited twice.  Returns 0 or -errno.  It only reads: capscan.c's
 * thread calls it too, between labels_open() and labels_close().
 */
int labels_for_each(bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
		    void *ctx);

/*
 * labels_for_each_all() - labels_for_each(), and also every process whose
 * label is pending in its task storage (lsm mode: the labels map could not
 * take it; identity/pending.h), each visited once even when its label moves
 * into the map during the walk.  It walks /proc: for counts that decide a
 * container's drop and for copies made again, not for requests.  Main
 * thread only.
 */
int labels_for_each_all(bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
			void *ctx);

/*
 * labels_contid() - the contid of thread group @tgid's label, from a copy of
 * the labels map kept in memory (no system call): 0, or -ENOENT when it has
 * no label.  For the audit path; anything that decides asks labels_lookup().
 */
int labels_contid(pid_t tgid, uint64_t *ret_contid);

/*
 * What BPF changed, as its ring buffer reports it (events.c): a fork or a
 * join labelled @tgid, an exit took its label; and, after a ring-buffer loss,
 * the whole copy made again from the map.
 */
void labels_mirror_set(pid_t tgid, uint64_t contid);
void labels_mirror_forget(pid_t tgid);
void labels_mirror_rebuild(void);

/* The labels map's entries plus the slots forks hold (@ret_used), and its size. */
void labels_room(uint64_t *ret_used, uint64_t *ret_capacity);

/* One of BPF's per-CPU counters (enum canister_stat), summed over the CPUs; 0 if unreadable. */
uint64_t labels_stat_sum(__u32 index);

#endif
