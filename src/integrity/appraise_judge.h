/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the gate's appraisal of an exec or an open, at each level of the opener's chain. */
#ifndef CANISTERD_INTEGRITY_APPRAISE_JUDGE_H
#define CANISTERD_INTEGRITY_APPRAISE_JUDGE_H

#include "integrity/file_digests.h"
#include "integrity/gate.h"
#include "integrity/ima_policy.h"
#include "lib/config.h"

#include <stdbool.h>
#include <stdint.h>

/* appraise_judge_open() - the verdict cache, and the fail policy (integrity_fail). */
void appraise_judge_open(const struct canister_config *config);
void appraise_judge_close(void);

/*
 * appraise_judge_wanted() - whether @event may need a verdict: an exec
 * (BPRM_CHECK) or an open (FILE_CHECK) by a process of a container some
 * level of whose @chain (@depth levels, identity_parents() of the event's
 * container, which every caller has walked already) is in log or enforce
 * mode.  Cheap (the snapshots' modes), so the judge asks it before it reads
 * anything of the opener's, and the gate's reader before a fast answer.
 */
bool appraise_judge_wanted(const struct gate_event *event, const uint64_t *chain,
			   unsigned int depth);

/*
 * appraise_judge() - the exec or open @event of the file version @key by a
 * process of @chain[0] (nested in @chain[1..@depth)): each level whose
 * decision in @decisions appraises and whose own mode is log or enforce
 * verifies the file's security.ima with its own keyring, once per file
 * version and keys (cached, when @settled: the key moves at any change of
 * the file); each failure is recorded.  @writers is open_writers_check()'s
 * answer for the file (OPEN_WRITERS_ELSEWHERE: open for writing by another
 * process, which every appraising level refuses; OPEN_WRITERS_OPENER: the
 * opener's own open asks for write access, which IMA's new-file and
 * signed-file rules read; -errno: cannot tell, the fail policy decides).  @ret_asked[i] says
 * whether level i appraised.  Returns false (deny) when a level in enforce failed, or could not
 * read the file (or tell its writers) and integrity_fail is closed.
 */
bool appraise_judge(const struct gate_event *event, const struct integrity_file_key *key,
		    bool settled, const uint64_t *chain,
		    const struct canister_ima_decision *decisions, unsigned int depth, int writers,
		    bool *ret_asked);

struct appraise_judge_stats {
	uint64_t appraised;  /* execs and opens at least one level appraised */
	uint64_t opens;	     /* of those, opens (FILE_CHECK) */
	uint64_t denied;     /* of those, denied */
	uint64_t logged;     /* failed verdicts of levels in log mode (allowed, recorded) */
	uint64_t verified;   /* verdicts computed (a file read and checked) */
	uint64_t cache_hits; /* verdicts taken from the cache */
	uint64_t unreadable; /* verdicts the file's read did not give: the fail policy answered */
	uint64_t writers;    /* levels' refusals of a file open for writing by another process */
};
void appraise_judge_stats(struct appraise_judge_stats *ret);

#endif
