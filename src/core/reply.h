/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the shapes every control reply shares ({"ok": ...}, errors, contids). */
#ifndef CANISTERD_REPLY_H
#define CANISTERD_REPLY_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

/* reply_error() - {"ok": false, "errno": NAME, "error": MESSAGE}. */
struct json_object *reply_error(int errnum, const char *message);

/* reply_ok() - {"ok": true}, for the caller to add members to. */
struct json_object *reply_ok(void);

/* Adds @key: the contid as a decimal string (JSON readers differ above 2^53), or "unset". */
void reply_add_contid(struct json_object *reply, const char *key, bool set, uint64_t contid);

#endif
