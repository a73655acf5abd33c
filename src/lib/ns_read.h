/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a process's namespaces as /proc/PID/ns/ shows them, for the CONTAINER_NS records. */
#ifndef CANISTER_LIB_NS_READ_H
#define CANISTER_LIB_NS_READ_H

#include "lib/audit_record.h"

#include <sys/types.h>

/*
 * canister_ns_read() - the inode number of each namespace of @pid (that of
 * /proc/PID/ns/NAME, which is the namespace's id in `lsns` and `ls -L -i`).
 * A namespace type this kernel lacks is 0.
 *
 * As with procfs.h, this is what the kernel says at the moment of the call;
 * a caller that acts on it must know @pid was not recycled meanwhile.
 *
 * Returns 0 and sets *ret_ns, or:
 *   -ESRCH   no such process, or it exited (a zombie keeps only its user and
 *            pid namespaces, too little to report)
 *   -EACCES  (or another -errno of stat(2)) the caller may not inspect @pid,
 *            which needs ptrace read access
 */
int canister_ns_read(pid_t pid, struct canister_ns_set *ret_ns);

#endif
