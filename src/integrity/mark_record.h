/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which process one of canister's own records puts in a container or namespace (pure).
 */
#ifndef CANISTERD_INTEGRITY_MARK_RECORD_H
#define CANISTERD_INTEGRITY_MARK_RECORD_H

#include <stddef.h>
#include <sys/types.h>

/*
 * mark_record_pid() - the opid of a CONTAINER_OP record (a registration
 * or a join) or a CONTAINER_NS record (a registration's namespaces, a
 * setns or an unshare): a process that may now be in a mount namespace
 * the gate has not marked.  Forks are told otherwise (process_started);
 * these are what a fork does not show.  Returns the pid, or 0 for any
 * other record.
 */
pid_t mark_record_pid(const char *line, size_t len);

#endif
