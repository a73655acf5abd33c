/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the gate reader's nice value, a little above canisterd's, and what status says of it
 * (pure). */
#ifndef CANISTERD_INTEGRITY_READER_NICE_H
#define CANISTERD_INTEGRITY_READER_NICE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * How much lower the reader's nice value is than canisterd's.  The reader
 * runs between an opener's event and its answer, and the answer wakes that
 * opener on the reader's CPU.  At the same weight, the few microseconds the
 * reader ran cost it its lead in the fair scheduler's virtual time, and the
 * woken opener preempted it at the answer in 13-25 % of the execs
 * (bench/gate-handoff: a bare gate, which runs 3 µs, in 2 %); the preempted
 * reader was then moved to the other CPU, and the next exec's event and
 * answer each crossed CPUs, an inter-processor wake-up of an idle vCPU
 * (about 60 µs a hand-off here against 12-15 µs on one CPU).  Two nice
 * levels (1.55 times the weight) keep the reader's lead; they give a reader
 * kept busy without pause (an exec storm) 61 % of a CPU against one task at
 * canisterd's nice instead of 50 %: a share, never the whole CPU.
 */
#define READER_NICE_BOOST 2

#define READER_NICE_MIN (-20)
#define READER_NICE_MAX 19

/*
 * reader_nice_of() - the reader's nice value when canisterd's is
 * @process_nice: READER_NICE_BOOST lower, never below -20.  An
 * administrator's nice value for canisterd (systemd's Nice=) moves the
 * reader's with it.
 */
int reader_nice_of(int process_nice);

/*
 * reader_nice_describe() - what `canister status` says of the reader's
 * priority: @err is what setting @reader_nice returned (0, or -errno: EACCES
 * or EPERM without CAP_SYS_NICE or room in RLIMIT_NICE), @process_nice
 * canisterd's.  Returns true when the reader runs above canisterd.
 */
bool reader_nice_describe(int err, int process_nice, int reader_nice, char *detail,
			  size_t detail_len);

#endif
