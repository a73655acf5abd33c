/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which filesystems the file gate watches: every mount namespace a container uses. */
#ifndef CANISTERD_INTEGRITY_MARKS_H
#define CANISTERD_INTEGRITY_MARKS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Container mount namespaces watched at once, besides canisterd's own. */
#define MARKS_NAMESPACES_MAX 64

/*
 * marks_open() - mark every filesystem of canisterd's own mount namespace
 * (through a helper, waited for here up to its deadline), and watch that
 * namespace's mount table for new mounts from now on.  Returns the number
 * of filesystems marked; failures are logged.
 */
unsigned int marks_open(void);
void marks_close(void);

/*
 * marks_process_started() - labelled process @pid was forked, or registered
 * into container @contid: when its mount namespace is neither canisterd's
 * nor watched yet, mark that namespace's filesystems and watch its mount
 * table.  Reads /proc/@pid/ns/mnt and /proc/@pid/mountinfo, which ask no
 * filesystem of the container anything; the marking is a helper's.  Also
 * asks exempt_check() whether the process opens a hole in the host mount
 * exemption: its namespaces, and with @record (a registration, join, setns
 * or unshare, which a fork's report is not) its descriptors.
 */
void marks_process_started(pid_t pid, uint64_t contid, bool record);

/*
 * marks_tick() - from the main loop's timer: mount tables that changed
 * (marked again), helpers that ended or passed their deadline, watches of
 * containers that are gone (dropped: the watch holds the namespace).
 */
void marks_tick(void);

/*
 * marks_remark() - every watched namespace marked again, with the mask the
 * gate asks for now (gate_set_file_check()): a pass each, as for a new mount.
 */
void marks_remark(void);

/*
 * marks_settle() - waits until no marking helper runs (each one's results
 * collected; one past its deadline killed), at most @ms.  Returns true when
 * none runs.  The main loop waits here: for marks a caller's answer depends on.
 */
bool marks_settle(unsigned int ms);

struct marks_stats {
	unsigned int namespaces; /* watched now, canisterd's own included */
	unsigned int marked;	 /* filesystems marked by each namespace's last pass */
	unsigned int failed;	 /* filesystems those passes could not mark */
	unsigned int fuse;	 /* FUSE mounts left out */
	uint64_t unwatched;	 /* namespaces not watched: MARKS_NAMESPACES_MAX reached */
	uint64_t passes;	 /* marking passes started */
};
void marks_stats(struct marks_stats *ret);

#endif
