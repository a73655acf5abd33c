// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: pseudonyms, after TSEM's (tsem.rst, "pseudonym"; model.c,
 * generate_pseudonym()): a path named by the digest of its length and bytes, whose file's content
 * digest is replaced by a constant, so that a file that legitimately changes keeps its coefficient.
 */
#include "model/model.h"
#include "model/event.h"
#include "model/pseudonym.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* SHA-256 of no bytes. */
const uint8_t canister_model_pseudonym_digest[CANISTER_MODEL_DIGEST_SIZE] = {
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
	0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
	0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

int canister_model_pseudonym_id(const char *path, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	size_t len = strlen(path);
	uint8_t le[4];

	if (len > CANISTER_MODEL_PATH_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < sizeof(le); i++)
		le[i] = (uint8_t)(len >> (8 * i));
	return model_sha256(le, sizeof(le), path, len, ret);
}

/* The index of the first id not below @id. */
static size_t lower_bound(const struct pseudonym_set *set,
			  const uint8_t id[CANISTER_MODEL_DIGEST_SIZE])
{
	size_t low = 0, high = set->count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (memcmp(set->ids[mid], id, CANISTER_MODEL_DIGEST_SIZE) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

bool pseudonym_set_has(const struct pseudonym_set *set,
		       const uint8_t id[CANISTER_MODEL_DIGEST_SIZE])
{
	size_t at = lower_bound(set, id);

	return at < set->count && memcmp(set->ids[at], id, CANISTER_MODEL_DIGEST_SIZE) == 0;
}

int pseudonym_set_add(struct pseudonym_set *set, const uint8_t id[CANISTER_MODEL_DIGEST_SIZE])
{
	size_t at = lower_bound(set, id);
	uint8_t(*ids)[CANISTER_MODEL_DIGEST_SIZE];

	if (at < set->count && memcmp(set->ids[at], id, CANISTER_MODEL_DIGEST_SIZE) == 0)
		return -EEXIST;
	if (set->count >= CANISTER_MODEL_PSEUDONYMS_MAX)
		return -E2BIG;
	ids = realloc(set->ids, (set->count + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	set->ids = ids;
	memmove(ids[at + 1], ids[at], (set->count - at) * sizeof(*ids));
	memcpy(ids[at], id, CANISTER_MODEL_DIGEST_SIZE);
	set->count++;
	return 0;
}

void pseudonym_set_free(struct pseudonym_set *set)
{
	free(set->ids);
	set->ids = NULL;
	set->count = 0;
}
