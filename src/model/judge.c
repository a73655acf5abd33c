// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the behaviour model's pure decisions: a domain's mode, and what an event's verdict
 * does. */
#include "model/judge.h"

#include <errno.h>
#include <stdio.h>

static const char *const mode_names[] = {
	[MODEL_MODE_LEARN] = "learn",
	[MODEL_MODE_SEAL] = "seal",
	[MODEL_MODE_ENFORCE] = "enforce",
};

const char *model_mode_name(enum model_mode mode)
{
	if ((unsigned int)mode >= sizeof(mode_names) / sizeof(mode_names[0]))
		return NULL;
	return mode_names[mode];
}

int model_mode_advance(enum model_mode from, enum model_mode to, char *why, size_t why_len)
{
	if (!model_mode_name(from) || !model_mode_name(to)) {
		snprintf(why, why_len, "unknown mode");
		return -EINVAL;
	}
	if (from == to)
		return 1;
	if (to > from)
		return 0;
	snprintf(why, why_len,
		 "the model is in %s: a domain moves only forward (learn, seal, enforce), never "
		 "back to %s",
		 mode_names[from], mode_names[to]);
	return -EPERM;
}

void model_judge(enum model_mode mode, int observed, enum canister_model_verdict verdict,
		 bool synchronous, struct model_judgement *ret)
{
	bool violation;

	*ret = (struct model_judgement){ .allow = true };
	if (mode == MODEL_MODE_LEARN) {
		/* Nothing of a learning domain is forensics: what it missed is counted. */
		ret->unlearned = observed < 0;
		return;
	}
	/* What a sealed model cannot place is not in it: TSEM's "invalid point". */
	violation = observed < 0 || verdict == CANISTER_MODEL_VIOLATION;
	if (!violation)
		return;
	ret->forensic = true;
	ret->untrusted = true;
	ret->allow = !(mode == MODEL_MODE_ENFORCE && synchronous);
}
