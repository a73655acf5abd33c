/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which of canister's BPF objects a labelled process holds fds to, from /proc. */
#ifndef CANISTERD_IDENTITY_HELD_FDS_H
#define CANISTERD_IDENTITY_HELD_FDS_H

#include "identity/tamper.h"

#include <stdbool.h>
#include <sys/types.h>

/*
 * lsm mode refuses a labelled process every way of getting an fd to
 * canister's maps, programs and links, but not an fd it took before (while
 * canisterd ran in trace mode, or before the guard was attached): the
 * pinned maps keep their ids across restarts, and the fd stays good.  The
 * scanner looks for such fds in every labelled process (bpf_fds.h says how,
 * and why reading them cannot be made to wait).
 */

/*
 * held_fds_open() - take the set of canister's objects from the loader:
 * once every object of this run is loaded, before the scanner starts.  The
 * pinned maps are among them with the ids they had in earlier runs.
 */
void held_fds_open(void);

/*
 * held_fds_read() - add to @facts->held the objects @tgid holds fds to,
 * from its fd table and those of threads with a table of their own; stops
 * early once @stop() says so.
 */
void held_fds_read(pid_t tgid, bool (*stop)(void), struct tamper_facts *facts);

#endif
