/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: whether a labelled process can reach and write canister's pins, from /proc. */
#ifndef CANISTERD_IDENTITY_PIN_REACH_H
#define CANISTERD_IDENTITY_PIN_REACH_H

#include "identity/tamper.h"
#include "lib/procfs.h"

#include <sys/types.h>

/*
 * The trace-mode scanner asks, of each labelled process, whether it reaches
 * canister's pin directory and may write it.  It never walks a path through
 * the process's root: a container may mount, in a mount namespace of its
 * own, a filesystem that never answers (FUSE) on the pin path, and a walk
 * would wait on it for good.  It reads instead which mounts the process's
 * namespace has (/proc/PID/mountinfo, printed from the kernel's mount tree
 * without asking any filesystem), and judges mode bits from canisterd's own
 * stat of the pins, which are the same inodes whatever the path.
 */
struct pin_reach;

/*
 * pin_reach_new() - canisterd's view of the pins at @pin_path, for one scan:
 * the bpffs instance that holds them, the pin directory's path within it,
 * the modes on the way.  NULL when out of memory.  A pin path canisterd
 * cannot see gives a view that reaches nothing.
 */
struct pin_reach *pin_reach_new(const char *pin_path);

/*
 * pin_reach_judge() - fill @facts->pin_reached, ->pin_writable and
 * ->pin_owner_mapped for @tgid, whose credentials are @creds and whose user
 * namespace ->init_userns already says.  Each mount namespace's mountinfo is
 * read once per view.
 */
void pin_reach_judge(struct pin_reach *reach, pid_t tgid, const struct canister_proc_creds *creds,
		     struct tamper_facts *facts);

void pin_reach_free(struct pin_reach *reach);

#endif
