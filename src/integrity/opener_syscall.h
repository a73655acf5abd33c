/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: whether a process blocked at the gate is opening its file for writing (pure). */
#ifndef CANISTERD_INTEGRITY_OPENER_SYSCALL_H
#define CANISTERD_INTEGRITY_OPENER_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

enum opener_syscall {
	/*
	 * Another system call, none (blocked outside one), an
	 * open whose flags the opener's own memory holds (openat2: it could
	 * change them after the kernel read them), or numbers this build does
	 * not know (another architecture): nothing can be said.
	 */
	OPENER_UNKNOWN,
	OPENER_OPENS_TO_READ,  /* open, openat: O_RDONLY (or O_ACCMODE, which takes no write access)
				*/
	OPENER_OPENS_TO_WRITE, /* open, openat: O_WRONLY or O_RDWR; creat */
	/*
	 * "running": the thread was on a CPU when read.  One blocked at the
	 * gate runs a moment whenever another event of the group is answered
	 * (they share one wait queue): asked again, it is asleep.
	 */
	OPENER_RUNNING,
};

/*
 * opener_syscall_parse() - one line of /proc/TID/syscall, "NR ARG1 ... ARG6
 * SP PC" with the arguments in hex, as the kernel saved them at the system
 * call's entry (registers, which no other thread can change).  Only x86-64's
 * own numbers are known; a 32-bit system call (int 0x80) shows numbers of
 * another table, none of which is an open there.  Returns the kind, or
 * -EINVAL for a line that is neither that nor "running" nor "-1 SP PC".
 */
int opener_syscall_parse(const char *line, size_t len);

/*
 * opener_syscall_flags() - as opener_syscall_parse(), and for an
 * OPENER_OPENS_TO_READ or _WRITE the open's flags in *@ret_flags (creat(2)'s
 * are O_CREAT | O_WRONLY | O_TRUNC): an open that reads may still truncate.
 */
int opener_syscall_flags(const char *line, size_t len, uint64_t *ret_flags);

#endif
