/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the status reply's JSON members (for lib/reply.c, which frames every reply). */
#ifndef CANISTER_LIB_STATUS_JSON_H
#define CANISTER_LIB_STATUS_JSON_H

#include "lib/json_strict.h"
#include "lib/status.h"

#include <stdbool.h>

struct json_object;

/*
 * canister_status_valid() - whether @status is one the decoder could have
 * produced: enums in range, strings ended within their arrays, counts
 * within their arrays, the privileged scan consistent, feature names unique.
 */
bool canister_status_valid(const struct canister_status *status);

/* canister_status_add_json() - add the status members to the reply object @root. */
bool canister_status_add_json(const struct canister_status *status, struct json_object *root);

/* canister_status_read_json() - read them back ("ok" is the only other member allowed). */
int canister_status_read_json(struct canister_json_reader *reader, struct json_object *root,
			      struct canister_status *ret);

/* canister_status_sinks_json() - the "sinks" array alone. */
struct json_object *canister_status_sinks_json(const struct canister_audit_status *audit);

#endif
