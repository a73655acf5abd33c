// SPDX-License-Identifier: GPL-2.0-only
/* canister status: the daemon's mode, probed kernel features, health and counters. */
#include "cli/cli.h"

#include "lib/client.h"
#include "lib/reply.h"
#include "lib/status_format.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_status(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;
	struct canister_client *client;
	struct canister_reply *reply;
	int n, r;

	if (cli_args(&cli, argc, argv, "status [--json]", NULL, 0, NULL, 0, 0, &n))
		return CLI_EXIT_USAGE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	/* About 100 KiB: every list in it is bounded, and sized for its bound. */
	reply = calloc(1, sizeof(*reply));
	if (!reply) {
		canister_client_close(client);
		return cli_error(&cli, ENOMEM, "out of memory");
	}
	r = canister_status_read(client, &reply->status);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
		goto out;
	}
	if (cli.json) {
		struct json_object *document;

		/* The reply as canisterd sent it, "ok" included, as it always was. */
		reply->op = CANISTER_OP_STATUS;
		reply->ok = true;
		document = canister_reply_json(reply, true);
		if (!document) {
			r = cli_error(&cli, ENOMEM, "out of memory");
			goto out;
		}
		printf("%s\n",
		       json_object_to_json_string_ext(
			       document, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(document);
	} else {
		canister_status_print(&reply->status, stdout);
	}
	r = EXIT_SUCCESS;
out:
	canister_client_close(client);
	free(reply);
	return r;
}
