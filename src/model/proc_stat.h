/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a task's parent and start time from /proc/PID/stat text (pure). */
#ifndef CANISTERD_MODEL_PROC_STAT_H
#define CANISTERD_MODEL_PROC_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * model_proc_stat_parse() - the parent (field 4) and the start time (field
 * 22, clock ticks after boot) in @len bytes of /proc/PID/stat text.  The
 * command (field 2) may hold any byte, spaces and ')' included: the fields
 * are counted from its last ')'.  Returns 0, or -EPROTO for text that is not
 * such a line (a field missing, not a number, or out of range).
 */
int model_proc_stat_parse(const char *text, size_t len, pid_t *ret_ppid, uint64_t *ret_start_time);

/*
 * model_proc_stat_ended() - whether the text is of a process that has ended:
 * its state (field 3) dead, or a zombie's with no other thread running
 * (field 20): a leader that exited while its threads run is a zombie of a
 * live process.
 */
bool model_proc_stat_ended(const char *text, size_t len);

/*
 * model_proc_stat() - the same of live @pid.  Returns 0, -ESRCH (no such
 * process, or one that has ended and waits only to be reaped) or -EPROTO.
 */
int model_proc_stat(pid_t pid, pid_t *ret_ppid, uint64_t *ret_start_time);

#endif
