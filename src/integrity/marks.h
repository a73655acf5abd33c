/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which filesystems the file gate watches, found in mountinfo. */
#ifndef CANISTERD_INTEGRITY_MARKS_H
#define CANISTERD_INTEGRITY_MARKS_H

/*
 * marks_host() - mark every filesystem mounted in canisterd's own mount
 * namespace that mark_pick_fstype() takes, once per superblock: what
 * containers sharing that namespace can execute from.  A mount point is
 * reached by a path walk of canisterd's own namespace, which the host
 * controls.  Returns the number of filesystems marked; failures are logged.
 */
unsigned int marks_host(void);

#endif
