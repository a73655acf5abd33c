/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the status document: mode, probed features, health and counters. */
#ifndef CANISTERD_STATUS_H
#define CANISTERD_STATUS_H

#include "core/canisterd.h"

struct json_object;

/* status_document() - the reply to a status request: {"ok": true, "mode": ..., ...}. */
struct json_object *status_document(struct canisterd *d);

#endif
