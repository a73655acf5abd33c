/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the integrity capability offers the core: its table entry. */
#ifndef CANISTERD_INTEGRITY_H
#define CANISTERD_INTEGRITY_H

#include <stdbool.h>
#include <stdint.h>

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

/*
 * integrity_mark_also() - every filesystem the gate marks, in every watched
 * namespace, is marked in fanotify group @group with @mask too
 * (FAN_MARK_FILESYSTEM; a filesystem that refuses it is left out), from now
 * on and again now; @group -1: no more marks are added there (the caller
 * removes its group's marks).  Waits, at most a marking helper's deadline,
 * until the watched namespaces are marked.  Returns false when the gate
 * does not run: nothing is marked.  Main loop.
 */
bool integrity_mark_also(int group, uint64_t mask);

/*
 * integrity_model_measured() - container @contid's behaviour model took one
 * more step of its measurement: @step is SHA-256(base || point), what TSEM
 * extends its TPM with (docs/model.md, "In the container's TPM"), and
 * @step_sha1 SHA-1(base || point) for the sha1 bank.  With a swtpm, its
 * PCR 11 is extended with them (both banks, one extend), in the order of the calls
 * (the caller holds the domain's lock across the step and the call), after
 * the list's entries queued before it; the steps are kept, so that a swtpm
 * started again (a restart of canisterd reloads the model and calls this
 * again; a TPM choice made again before the first exec) replays them all.
 * A container that ended: nothing.  A step not kept (no memory) makes every
 * later quote fail, as a lost extend of PCR 10 does.
 */
void integrity_model_measured(uint64_t contid, const uint8_t step[32], const uint8_t step_sha1[20]);

#endif
