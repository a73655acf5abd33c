// SPDX-License-Identifier: GPL-2.0-only
/* canister ps: the live containers, with their process counts and owners. */
#include "cli/cli.h"

#include "lib/container_format.h"
#include "lib/reply.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int cmd_ps(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;
	struct canister_container_entry *entries;
	struct canister_client *client;
	size_t count;
	int n, r;

	if (cli_args(&cli, argc, argv, "ps [--json]", NULL, 0, NULL, 0, 0, &n))
		return CLI_EXIT_USAGE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_list(client, &entries, &count);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
		canister_client_close(client);
		return r;
	}
	canister_client_close(client);

	if (cli.json) {
		struct json_object *root = json_object_new_object(),
				   *containers = json_object_new_array();

		bool ok = root && containers;

		/* The members of canisterd's list reply, written by the same code. */
		for (size_t i = 0; ok && i < count; i++)
			ok = json_object_array_add(containers,
						   canister_container_json(&entries[i])) == 0;
		json_object_object_add(root, "containers", containers);
		if (!ok) {
			json_object_put(root);
			free(entries);
			return cli_error(&cli, ENOMEM, "out of memory");
		}
		cli_print_json(root);
	} else {
		canister_ps_print(entries, count, (int64_t)time(NULL), stdout);
	}
	free(entries);
	return EXIT_SUCCESS;
}
