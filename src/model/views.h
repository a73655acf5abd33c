/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a container's behaviour model as the text each `canister model N VIEW` shows. */
#ifndef CANISTERD_MODEL_VIEWS_H
#define CANISTERD_MODEL_VIEWS_H

#include "lib/protocol.h"
#include "model/judge.h"

#include <stddef.h>
#include <stdint.h>

/*
 * model_view() - @view of @contid's domain as text, malloc'ed into *@ret_text
 * (*@ret_len bytes, NUL-terminated), and the domain's mode:
 *   state, measurement   one line, 64 hex digits
 *   trajectory           one line per coefficient of the model in the order
 *                        each came: "HEX SEEN" (SEEN: events that gave it)
 *   forensics            the same, of the forensic ones
 *   counts               "NAME VALUE" lines (docs/model.md)
 *   events               the export line of each point's first event, in order
 *   untrusted            one pid a line
 *   export               the model file
 * Returns 0, -ENOENT (no domain), -EINVAL (not a view), -ENOMEM.
 */
int model_view(uint64_t contid, enum canister_model_action view, char **ret_text, size_t *ret_len,
	       enum model_mode *ret_mode);

#endif
