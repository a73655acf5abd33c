/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the behaviour model's pure decisions: a domain's mode, and what an event's verdict
 * does. */
#ifndef CANISTERD_MODEL_JUDGE_H
#define CANISTERD_MODEL_JUDGE_H

#include "model/model.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * A container's domain, which only moves forward: learn (new coefficients
 * are added to the model), seal (a new one is forensics and its process
 * untrusted), enforce (also denied where a synchronous gate sees it).
 */
enum model_mode {
	MODEL_MODE_LEARN = 0,
	MODEL_MODE_SEAL,
	MODEL_MODE_ENFORCE,
};

/* "learn", "seal", "enforce"; NULL for another value. */
const char *model_mode_name(enum model_mode mode);

/*
 * model_mode_advance() - whether a domain in @from may move to @to:
 *   1        it is in @to already: nothing changes
 *   0        forward: it moves
 *   -EPERM   backward (a sealed model never learns again, an enforced one is
 *            never only sealed again): @why says so, in one line
 */
int model_mode_advance(enum model_mode from, enum model_mode to, char *why, size_t why_len);

/* What an event does, once judged. */
struct model_judgement {
	bool allow;	/* false: the gate denies it (EPERM) */
	bool forensic;	/* a forensics entry and a CONTAINER_MODEL record */
	bool untrusted; /* its process is marked untrusted, for good */
	bool unlearned; /* learning, but the event could not be added (counted) */
};

/*
 * model_judge() - what an event of a domain in @mode does.  @observed is
 * canister_model_observe()'s return (0 with @verdict; -E2BIG: the model is
 * full; any other -errno: no coefficient could be computed, as for a file
 * that could not be read).  @synchronous: a gate holds the event and can
 * deny it (the fanotify gate), else it is only observed.
 *
 * Known and new coefficients are allowed.  A violation, and in seal or
 * enforce an event without a coefficient or past a full model, is forensics
 * and untrusts its process; enforce denies it when @synchronous.  Learning,
 * an event that could not be added is allowed and counted (unlearned).
 */
void model_judge(enum model_mode mode, int observed, enum canister_model_verdict verdict,
		 bool synchronous, struct model_judgement *ret);

#endif
