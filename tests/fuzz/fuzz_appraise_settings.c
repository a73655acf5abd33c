// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: appraise_settings_parse() on arbitrary bytes, with its invariants. */
#include "integrity/appraise_settings.h"

#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE "fuzz.appraise"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct appraise_settings untouched = { (enum canister_appraise_mode)77, true };
	struct appraise_settings settings = untouched, again;
	char why[512], text[APPRAISE_SETTINGS_TEXT_MAX];
	int r;

	memset(why, 'x', sizeof(why));
	r = appraise_settings_parse((const char *)data, size, SOURCE, &settings, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL)
			broken("an error other than -EINVAL", why);
		if (memcmp(&settings, &untouched, sizeof(settings)) != 0)
			broken("settings changed by a refused input", why);
		check_line_error(SOURCE, why, sizeof(why), input_lines(data, size));
		return 0;
	}
	if (!canister_appraise_mode_name(settings.mode))
		broken("a mode that is none of the three", "");
	/* What is taken is written back as it reads. */
	appraise_settings_format(&settings, text);
	if (appraise_settings_parse(text, strlen(text), SOURCE, &again, why, sizeof(why)) < 0 ||
	    again.mode != settings.mode || again.host_keys != settings.host_keys)
		broken("the formatted settings do not read back the same", text);
	return 0;
}
