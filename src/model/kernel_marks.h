/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: untrusted marks in the kernel: a pinned map, copied to each child at fork by BPF. */
#ifndef CANISTERD_MODEL_KERNEL_MARKS_H
#define CANISTERD_MODEL_KERNEL_MARKS_H

#include "core/canisterd.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The maps the capability pins under pin_path, NULL-terminated (`canisterd --unload`). */
extern const char *const model_pinned_maps[];

/*
 * model_kernel_marks_open() - load and attach bpf/model_untrusted.bpf.c
 * (tp_btf sched_process_fork and sched_process_exit) with its map pinned as
 * pin_path/model_untrusted, reused when an earlier run pinned it: the marks
 * outlive a restart.  Returns 0, or -errno with @why (a kernel without
 * tp_btf): canisterd then marks children itself.
 */
int model_kernel_marks_open(struct canisterd *d, char *why, size_t why_len);
void model_kernel_marks_close(void);

/* Whether the kernel copies marks; and marks not copied for want of room. */
bool model_kernel_marks_on(void);
uint64_t model_kernel_marks_lost(void);

/*
 * model_kernel_marks_put() - @tgid of @contid is untrusted.  Returns 0, 1
 * when it was marked already, or -errno (-E2BIG full).
 */
int model_kernel_marks_put(pid_t tgid, uint64_t contid);

/* model_kernel_marks_drop() - @tgid's mark goes (it ended before its mark went in). */
void model_kernel_marks_drop(pid_t tgid);

/* model_kernel_marks_has() - whether @tgid is marked in the kernel's map. */
bool model_kernel_marks_has(pid_t tgid);

/* model_kernel_marks_count() - how many processes the kernel's map marks (a bounded walk). */
size_t model_kernel_marks_count(void);

/* model_kernel_marks_list() - up to @max marked tgids of @contid; returns how many. */
size_t model_kernel_marks_list(uint64_t contid, pid_t *ret_pids, size_t max);

#endif
