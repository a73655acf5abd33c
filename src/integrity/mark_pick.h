/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which filesystems the file gate watches (pure). */
#ifndef CANISTERD_INTEGRITY_MARK_PICK_H
#define CANISTERD_INTEGRITY_MARK_PICK_H

#include <stdbool.h>

/*
 * mark_pick_fstype() - whether files of filesystem type @fstype (mountinfo's
 * field, "ext4", "fuse.sshfs", ...) are watched: those a container can
 * execute a program from (disk filesystems, tmpfs, overlay, network
 * filesystems), not the kernel's pseudo filesystems, whose files are no
 * program anyone measures and some of which refuse a mark.  FUSE is left
 * out: a container's own FUSE server could be the opener the gate holds,
 * and a read of its file by the judge would then wait on it.
 */
bool mark_pick_fstype(const char *fstype);

/* mark_pick_fuse() - whether @fstype is FUSE's, which the log names when it is left out. */
bool mark_pick_fuse(const char *fstype);

#endif
