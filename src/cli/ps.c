// SPDX-License-Identifier: GPL-2.0-only
/* canister ps: the live containers, with their process counts and owners. */
#include "cli/cli.h"

#include "lib/container_format.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The members of canisterd's list reply, so that one reader serves both. */
static struct json_object *container_json(const struct canister_container_entry *entry)
{
	struct json_object *object = json_object_new_object(), *chain = json_object_new_array();

	json_object_object_add(object, "contid", cli_json_contid(entry->chain[0]));
	for (unsigned int i = 0; i < entry->depth; i++)
		json_object_array_add(chain, cli_json_contid(entry->chain[i]));
	json_object_object_add(object, "chain", chain);
	if (entry->name[0])
		json_object_object_add(object, "name", json_object_new_string(entry->name));
	json_object_object_add(object, "processes", json_object_new_uint64(entry->processes));
	json_object_object_add(object, "first_pid", json_object_new_int(entry->first_pid));
	json_object_object_add(object, "owner", json_object_new_int64(entry->owner));
	json_object_object_add(object, "registered", json_object_new_int64(entry->registered));
	return object;
}

int cmd_ps(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;
	struct canister_container_entry *entries;
	struct canister_client *client;
	size_t count;
	int n, r;

	if (cli_args(&cli, argc, argv, "ps [--json]", NULL, 0, NULL, 0, 0, &n))
		return EXIT_FAILURE;
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

		for (size_t i = 0; i < count; i++)
			json_object_array_add(containers, container_json(&entries[i]));
		json_object_object_add(root, "containers", containers);
		cli_print_json(root);
	} else {
		canister_ps_print(entries, count, (int64_t)time(NULL), stdout);
	}
	free(entries);
	return EXIT_SUCCESS;
}
