// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_oci_state_parse() on arbitrary stdin, and round trips. */
#include "lib/oci_state.h"

#include "lib/name.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *why)
{
	fprintf(stderr, "invariant broken: %s (why \"%s\")\n", what, why);
	abort();
}

/* The hook prints the reason as its one line on the runtime's stderr. */
static void check_reason(const char *why, size_t why_size)
{
	if (!memchr(why, '\0', why_size))
		broken("reason not NUL-terminated", "");
	if (!why[0])
		broken("no reason given", "");
	for (const char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			broken("reason has a control or non-ASCII byte", why);
	if (strncmp(why, "state ", 6) != 0 && strcmp(why, "out of memory") != 0)
		broken("reason does not start with \"state \"", why);
}

/* What the hook goes on to use must already be valid. */
static void check_state(const struct canister_oci_state *state)
{
	char why[256];
	size_t len;

	if (!memchr(state->id, '\0', sizeof(state->id)) ||
	    canister_name_check(state->id, why, sizeof(why)) != 0)
		broken("id is not a valid container name", why);
	if (state->pid < 1)
		broken("pid out of range", "");
	if (!memchr(state->status, '\0', sizeof(state->status)))
		broken("status not NUL-terminated", "");
	len = strlen(state->status);
	if (len < 1 || len > CANISTER_OCI_STATUS_MAX)
		broken("status length out of range", state->status);
	if (!memchr(state->bundle, '\0', sizeof(state->bundle)) || state->bundle[0] != '/')
		broken("bundle not an absolute, terminated path", "");
	if (state->has_contid && state->contid == CANISTER_CONTID_UNSET)
		broken("annotation gave the unset contid", "");
}

/* The state written back out by json-c: what a runtime would send for the same container. */
static char *encode(const struct canister_oci_state *state)
{
	struct json_object *root = json_object_new_object();
	char *text;

	json_object_object_add(root, "ociVersion", json_object_new_string("1.0.2"));
	json_object_object_add(root, "id", json_object_new_string(state->id));
	json_object_object_add(root, "status", json_object_new_string(state->status));
	json_object_object_add(root, "pid", json_object_new_int(state->pid));
	json_object_object_add(root, "bundle", json_object_new_string(state->bundle));
	if (state->has_contid) {
		struct json_object *annotations = json_object_new_object();
		char contid[32];

		snprintf(contid, sizeof(contid), "%" PRIu64, state->contid);
		json_object_object_add(annotations, CANISTER_OCI_CONTID_ANNOTATION,
				       json_object_new_string(contid));
		json_object_object_add(root, "annotations", annotations);
	}
	text = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	if (!text)
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canister_oci_state state, untouched, again;
	char why[512];
	char *text;
	int r;

	memset(&state, 0xa5, sizeof(state));
	memcpy(&untouched, &state, sizeof(state));
	memset(why, 'x', sizeof(why));
	r = canister_oci_state_parse((const char *)data, size, &state, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -ENOMEM)
			broken("undocumented errno", why);
		check_reason(why, sizeof(why));
		if (memcmp(&state, &untouched, sizeof(state)) != 0)
			broken("output written on error", why);
		return 0;
	}
	if (r != 0)
		broken("positive return", "");
	check_state(&state);

	text = encode(&state);
	memset(&again, 0x5a, sizeof(again));
	if (canister_oci_state_parse(text, strlen(text), &again, why, sizeof(why)) != 0)
		broken("accepted state does not parse when written back", why);
	if (strcmp(again.id, state.id) || again.pid != state.pid ||
	    strcmp(again.status, state.status) || strcmp(again.bundle, state.bundle) ||
	    again.has_contid != state.has_contid ||
	    (state.has_contid && again.contid != state.contid))
		broken("accepted state changes when written back", text);
	free(text);
	return 0;
}
