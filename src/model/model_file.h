/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: the model file (docs/model.md, "Model file"), parsed and printed. */
#ifndef CANISTER_MODEL_MODEL_FILE_H
#define CANISTER_MODEL_MODEL_FILE_H

#include "model/model.h"

#include <stddef.h>

/* The first line of every model file this canister writes and reads. */
#define CANISTER_MODEL_FILE_HEADER "canister-model 1"

/*
 * canister_model_file_parse() - @len bytes of @text as a model file, all or
 * nothing.  On success *@ret_model is a new sealed model holding the file's
 * pseudonyms and coefficients (LOADED), its aggregate and base.  Returns:
 *   0        *@ret_model set (free it with canister_model_free())
 *   -EINVAL  refused: "SOURCE:LINE: reason" in @why (one printable line)
 *   -E2BIG   more coefficients or pseudonyms than a model holds: the same
 *   -ENOMEM  out of memory (@why says so)
 * *@ret_model is untouched unless 0 is returned.
 */
int canister_model_file_parse(const char *text, size_t len, const char *source,
			      struct canister_model **ret_model, char *why, size_t why_len);

/*
 * canister_model_file_print() - the model file of @model: its aggregate and
 * base (when not zero), pseudonyms, the coefficients that are part of the
 * model (loaded and learned, not forensic) in ascending order, and the state
 * value over them.  snprintf-like: at most @size bytes with a NUL into @buf,
 * the length of the whole text returned; -ENOMEM if a digest failed.
 */
long canister_model_file_print(const struct canister_model *model, char *buf, size_t size);

#endif
