/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the host mount exemption: canisterd's own mounts raise no gate event, while no
 * container can reach them. */
#ifndef CANISTERD_INTEGRITY_EXEMPT_H
#define CANISTERD_INTEGRITY_EXEMPT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The gate marks whole filesystems, so every exec (and, with FILE_CHECK,
 * every open) on them by any process waits for the gate's reader, the
 * host's included, which the reader only answers "allow".  A fanotify
 * ignore mark on a mount (FAN_MARK_MOUNT, the permission events in its
 * ignore mask) takes away, in the kernel, every event of the group for a
 * file opened through that mount, the filesystem mark's included.  A
 * container in a mount namespace of its own opens its files through its
 * own mounts, other vfsmounts of the same filesystems, which keep their
 * events.  So marks.c puts ignore marks on the mounts of canisterd's own
 * namespace, and this file withdraws them (FAN_MARK_FLUSH of every mount
 * mark of the group) as soon as a labelled process could open a file
 * through one of them (exempt_rule.h: the holes), and puts them back when
 * every container that held them off is dropped.
 */

/* exempt_open() - at the gate's start: canisterd's namespaces read; the exemption in force. */
void exempt_open(void);
void exempt_close(void);

/* exempt_in_force() - whether a host pass puts ignore marks on canisterd's mounts now. */
bool exempt_in_force(void);

/*
 * exempt_check() - labelled process @pid of container @contid: its
 * namespaces, and with @fds its descriptors.  On a hole the exemption is
 * withdrawn (flushed, logged, counted).  Returns true when this call
 * withdrew it: a host pass that is placing ignore marks must stop.
 */
bool exempt_check(pid_t pid, uint64_t contid, bool fds);

/* exempt_scan() - every labelled process now (canisterd's start), exempt_check()ed. */
void exempt_scan(void);

/* exempt_host_line() - one line of canisterd's own mount table, at each host pass. */
void exempt_host_line(const char *line);
/* exempt_host_table_start() - a host pass begins: the table's facts are read anew. */
void exempt_host_table_start(void);

/*
 * exempt_host_proc_line() - whether one line of a container's mount table
 * mounts canisterd's procfs (a bind of it, or the copy a new mount
 * namespace keeps until its runtime's pivot_root takes it away).
 */
bool exempt_host_proc_line(const char *line);

/*
 * exempt_table_hole() - container @contid's mount table shows canisterd's
 * procfs: the exemption is withdrawn (returns true when this call did), and
 * stays withdrawn while that table (marks.c counts them) still shows it.
 */
bool exempt_table_hole(uint64_t contid);

/* exempt_flush() - every mount mark of the gate's group removed (again). */
void exempt_flush(void);

/* exempt_placed() - a host pass put @ok ignore marks, @failed not. */
void exempt_placed(unsigned int ok, unsigned int failed, bool legacy);

/*
 * exempt_tick() - drops the containers that are gone from those holding the
 * exemption off; @tables is the number of watched mount tables that show
 * canisterd's procfs now.  Returns true when the exemption is back in
 * force: the caller runs a host pass, which places the ignore marks.
 */
bool exempt_tick(unsigned int tables);

struct exempt_stats {
	bool in_force;
	char detail[256];   /* why not, or how */
	uint64_t mounts;    /* ignore marks in force (the last host pass's) */
	uint64_t removed;   /* ignore marks removed by withdrawals since the start */
	uint64_t withdrawn; /* withdrawals since the start */
};
void exempt_stats(struct exempt_stats *ret);

#endif
