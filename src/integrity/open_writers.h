/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: whether a file the gate measures is open for writing elsewhere (IMA's open_writers).
 */
#ifndef CANISTERD_INTEGRITY_OPEN_WRITERS_H
#define CANISTERD_INTEGRITY_OPEN_WRITERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * open_writers_open() - tries the check once on a file of its own in @dir
 * (unnamed, O_TMPFILE): it must see that file's writer, and nothing once
 * the writer is closed.  Makes SIGIO harmless to canisterd (ignored: a lease
 * another process breaks sends it).  Returns true when the check works;
 * else false with the reason in @why.
 */
bool open_writers_open(const char *dir, char *why, size_t why_len);

/* open_writers_check()'s answers. */
#define OPEN_WRITERS_NONE 0	 /* the file is open for writing nowhere */
#define OPEN_WRITERS_ELSEWHERE 1 /* open for writing by another than the opener's open */
#define OPEN_WRITERS_OPENER 2	 /* only by the opener's own open (it asks for write access) */

/*
 * open_writers_check() - whether the file of @fd (the gate's read-only
 * descriptor of a file process @pid is opening) is open for writing by
 * anyone but @pid's open itself, as IMA's open_writers violation asks.
 * A read lease (F_SETLEASE F_RDLCK) is refused with EAGAIN exactly while
 * the inode is open for write; one that is granted is let go at once.  The
 * opener's own open counts as a writer already: it is told apart only for a
 * single-threaded opener blocked in an open(2), openat(2) or creat(2) that
 * asks for write access (opener_syscall.h), where IMA checks nothing.
 * Returns OPEN_WRITERS_ELSEWHERE, OPEN_WRITERS_OPENER, OPEN_WRITERS_NONE, or
 * -errno (cannot tell: a filesystem without leases, EINVAL).
 */
int open_writers_check(int fd, pid_t pid);

/*
 * open_writers_opener_writes() - whether @pid is one thread blocked in an
 * open(2), openat(2) or creat(2) that asks for write access (read from
 * /proc/PID/syscall, opener_syscall.h).  False when it cannot be told.
 */
bool open_writers_opener_writes(pid_t pid);

/*
 * open_writers_opener_flags() - as open_writers_opener_writes(): the kind of
 * open @pid is blocked in (OPENER_OPENS_TO_READ or _WRITE, with its flags in
 * *@ret_flags), or OPENER_UNKNOWN when it cannot be told.
 */
int open_writers_opener_flags(pid_t pid, uint64_t *ret_flags);

/*
 * open_writers_any() - 1 while the file of @fd is open for writing anywhere
 * (an opener blocked at the gate in an open for write counts: the kernel took
 * its write access before it asked), 0 when nowhere, -errno when a read lease
 * cannot tell (needs CAP_LEASE and a filesystem with leases; -EOPNOTSUPP
 * unless open_writers_open() found that the check works).
 */
int open_writers_any(int fd);

#endif
