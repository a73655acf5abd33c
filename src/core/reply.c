// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the shapes every control reply shares ({"ok": ...}, errors, contids). */
#include "core/reply.h"

#include "lib/errnames.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

struct json_object *reply_error(int errnum, const char *message)
{
	struct json_object *reply = json_object_new_object();
	const char *name = canister_errno_name(errnum);

	json_object_object_add(reply, "ok", json_object_new_boolean(0));
	json_object_object_add(reply, "errno", json_object_new_string(name ? name : "EIO"));
	json_object_object_add(reply, "error", json_object_new_string(message));
	return reply;
}

struct json_object *reply_ok(void)
{
	struct json_object *reply = json_object_new_object();

	json_object_object_add(reply, "ok", json_object_new_boolean(1));
	return reply;
}

void reply_add_contid(struct json_object *reply, const char *key, bool set, uint64_t contid)
{
	char text[32];

	if (set)
		snprintf(text, sizeof(text), "%" PRIu64, contid);
	else
		snprintf(text, sizeof(text), "unset");
	json_object_object_add(reply, key, json_object_new_string(text));
}
