/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the gate's reader answers at once an exec the judge found listed everywhere before. */
#ifndef CANISTERD_INTEGRITY_FAST_ANSWER_H
#define CANISTERD_INTEGRITY_FAST_ANSWER_H

#include "integrity/file_digests.h"
#include "integrity/gate.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/* fast_answer_open() - an empty set.  Returns 0 or -ENOMEM. */
int fast_answer_open(void);
/* fast_answer_close() - after gate_stop(): no reader or judge may call in any more. */
void fast_answer_close(void);

/*
 * fast_answer_learn() - on a judge: @event's file (its version @st) is in the
 * list of every container of @chain (@depth levels, @chain[0] the opener's),
 * and no policy there audits, so its next exec by the same container needs
 * no judge: remembered for the reader, when the file is on a filesystem
 * whose attributes are read without asking a server or a cluster lock (the
 * reader must never wait on a filesystem).  @key is the key the judge found
 * listed: its write generation is the judge's, not one read now, which a
 * writer's close since would have moved past the listed version.
 */
void fast_answer_learn(const struct gate_event *event, const struct stat *st,
		       const struct integrity_file_key *key, const uint64_t *chain,
		       unsigned int depth);

/*
 * fast_answer() - on the gate's reader (gate_fast_fn): true when @event is an
 * exec of a file version remembered for its container, whose chain is still
 * the one remembered.  It reads /proc/self/fdinfo, asks the filesystem for
 * cached attributes only (AT_STATX_DONT_SYNC) and only for a file the judge
 * remembered, and looks up the containers map: it never waits on a file.
 */
bool fast_answer(const struct gate_event *event, void *ctx);

#endif
