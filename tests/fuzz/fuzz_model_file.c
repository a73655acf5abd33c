// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: a behaviour-model file parsed, printed, parsed again, with its
 * invariants. */
#include "model/model_file.h"

#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "fuzz.model"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The printed text reads back as the same model and prints the same. */
static void check_reads_back(const struct canister_model *model)
{
	long len = canister_model_file_print(model, NULL, 0), again_len;
	struct canister_model *again = NULL;
	uint8_t s1[CANISTER_MODEL_DIGEST_SIZE], s2[CANISTER_MODEL_DIGEST_SIZE];
	char *text, *again_text;
	char why[512];

	if (len < 0)
		broken("print failed", "");
	text = malloc((size_t)len + 1);
	if (!text)
		return;
	if (canister_model_file_print(model, text, (size_t)len + 1) != len ||
	    strlen(text) != (size_t)len)
		broken("print length", "");
	if (canister_model_file_parse(text, (size_t)len, SOURCE, &again, why, sizeof(why)) != 0)
		broken("printed model refused", why);
	if (canister_model_points(again) != canister_model_points(model) ||
	    canister_model_pseudonyms(again) != canister_model_pseudonyms(model))
		broken("printed model holds another count", text);
	if (canister_model_state(model, false, s1) != 0 || canister_model_state(again, false, s2) ||
	    memcmp(s1, s2, sizeof(s1)) != 0)
		broken("printed model has another state", text);
	again_len = canister_model_file_print(again, NULL, 0);
	again_text = malloc((size_t)again_len + 1);
	if (again_text) {
		canister_model_file_print(again, again_text, (size_t)again_len + 1);
		if (strcmp(text, again_text) != 0)
			broken("printing is not stable", text);
		free(again_text);
	}
	free(text);
	canister_model_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_model *untouched = (void *)0x5a5a, *model = untouched;
	unsigned long lines = input_lines(data, size);
	char why[1024];
	int r;

	memset(why, 'x', sizeof(why));
	r = canister_model_file_parse((const char *)data, size, SOURCE, &model, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -E2BIG)
			broken("error other than -EINVAL or -E2BIG", why);
		check_line_error(SOURCE, why, sizeof(why), lines);
		if (model != untouched)
			broken("model written on error", why);
		return 0;
	}
	if (r != 0 || !model || model == untouched)
		broken("no model on success", "");
	if (!canister_model_sealed(model))
		broken("a loaded model is not sealed", "");
	if (canister_model_count(model, CANISTER_MODEL_LOADED) != canister_model_points(model) ||
	    canister_model_points(model) > lines)
		broken("coefficient count", "");
	check_reads_back(model);
	canister_model_free(model);
	return 0;
}
