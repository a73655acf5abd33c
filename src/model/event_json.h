/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: an event as one line of TSEM's external-modeller JSON. */
#ifndef CANISTER_MODEL_EVENT_JSON_H
#define CANISTER_MODEL_EVENT_JSON_H

#include "model/event.h"

#include <stdint.h>

/*
 * canister_model_event_json() - @event, in container @contid, as one JSON
 * object on one line (no newline), in the schema of TSEM's export
 * (Documentation/ABI/testing/tsem, "ExternalTMA"; docs/model.md, "Export"):
 * every field the coefficient is computed from, and the coefficient.
 * *@ret_line is malloc'ed.  Returns 0, the errors of
 * canister_model_coefficient(), or -ENOMEM.
 */
int canister_model_event_json(const struct canister_model_event *event, uint64_t contid,
			      char **ret_line);

#endif
