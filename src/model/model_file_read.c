// SPDX-License-Identifier: GPL-2.0-only
/* canister behaviour models: a model file read from disk and checked, for the CLI and the OCI hook.
 */
#include "model/model_file_read.h"

#include "lib/trusted_file.h"
#include "model/model_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int canister_model_file_read(const char *path, size_t max, char **ret_text, size_t *ret_len,
			     char *why, size_t why_len)
{
	struct canister_model *model;
	char *text;
	size_t len;
	int r;

	r = canister_read_trusted_named_file(path, "model file", max + 1, &text, &len, why,
					     why_len);
	if (r == -EFBIG || (r == 0 && len > max)) {
		if (r == 0)
			free(text);
		snprintf(why, why_len,
			 "%s: longer than %zu bytes, the most canisterd takes (about %zu "
			 "coefficients)",
			 path, max, max / 77);
		return -E2BIG;
	}
	if (r < 0)
		return r;
	r = canister_model_file_parse(text, len, path, &model, why, why_len);
	if (r < 0) {
		free(text);
		return r;
	}
	canister_model_free(model);
	*ret_text = text;
	*ret_len = len;
	return 0;
}
