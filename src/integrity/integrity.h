/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the integrity capability offers the core: its table entry. */
#ifndef CANISTERD_INTEGRITY_H
#define CANISTERD_INTEGRITY_H

#include <stdbool.h>

struct capability;
extern const struct capability integrity_capability;

/*
 * integrity_follow_file_check() - the gate asks for every open (FILE_CHECK)
 * exactly while a live policy needs it (a measure or audit rule FILE_CHECK
 * can match, or an appraise rule of a live container whose appraisal mode
 * is log or enforce, measure_file_check()): when that changed, every watched
 * namespace is marked again; with @wait, this returns once the marks say
 * so (at most a marking helper's deadline), so that a policy set for a
 * container is in force on its filesystems before the caller is answered.
 */
void integrity_follow_file_check(bool wait);

#endif
