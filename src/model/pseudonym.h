/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: a model's pseudonyms, a sorted set of TSEM pseudonym ids. */
#ifndef CANISTER_MODEL_PSEUDONYM_H
#define CANISTER_MODEL_PSEUDONYM_H

#include "model/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pseudonym_set {
	uint8_t (*ids)[CANISTER_MODEL_DIGEST_SIZE]; /* ascending byte order */
	size_t count;
};

/* pseudonym_set_add() - 0, -EEXIST, -E2BIG past CANISTER_MODEL_PSEUDONYMS_MAX, -ENOMEM. */
int pseudonym_set_add(struct pseudonym_set *set, const uint8_t id[CANISTER_MODEL_DIGEST_SIZE]);
bool pseudonym_set_has(const struct pseudonym_set *set,
		       const uint8_t id[CANISTER_MODEL_DIGEST_SIZE]);
void pseudonym_set_free(struct pseudonym_set *set);

#endif
