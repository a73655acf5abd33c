// SPDX-License-Identifier: GPL-2.0-only
/* canister get / set / delegate: one process's container, its registration, its delegation. */
#include "cli/cli.h"

#include "lib/client.h"
#include "lib/container_format.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "4,^2 web-1", or "unset"; with --json the fields of canisterd's reply. */
static void print_info(const struct cli *cli, pid_t pid, const struct canister_info *info)
{
	char chain[CANISTER_CHAIN_TEXT_MAX];
	struct json_object *object, *array;

	if (!cli->json) {
		canister_format_chain(info->chain, info->depth, chain, sizeof(chain));
		if (info->name[0])
			printf("%s %s\n", chain, info->name);
		else
			printf("%s\n", chain);
		return;
	}
	object = json_object_new_object();
	array = json_object_new_array();
	json_object_object_add(object, "pid", json_object_new_int(pid));
	json_object_object_add(object, "contid",
			       info->depth ? cli_json_contid(info->chain[0])
					   : json_object_new_string("unset"));
	for (unsigned int i = 0; i < info->depth; i++)
		json_object_array_add(array, cli_json_contid(info->chain[i]));
	json_object_object_add(object, "chain", array);
	if (info->name[0])
		json_object_object_add(object, "name", json_object_new_string(info->name));
	json_object_object_add(object, "delegated", json_object_new_boolean(info->delegated));
	cli_print_json(object);
}

int cmd_get(const struct cli *base, int argc, char **argv)
{
	static const char usage[] = "get PID [--json]";
	struct cli cli = *base;
	struct canister_client *client;
	struct canister_info info;
	char *args[1];
	pid_t pid;
	int count, r;

	if (cli_args(&cli, argc, argv, usage, NULL, 0, args, 1, 1, &count) ||
	    cli_parse_pid(&cli, args[0], &pid))
		return EXIT_FAILURE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_get_info(client, pid, &info);
	if (r < 0)
		r = cli_client_error(&cli, client, r);
	else
		print_info(&cli, pid, &info);
	canister_client_close(client);
	return r;
}

int cmd_set(const struct cli *base, int argc, char **argv)
{
	static const char usage[] = "set PID N [--name NAME] [--json]";
	struct cli cli = *base;
	const char *name = NULL;
	const struct cli_option options[] = { { "--name", &name } };
	struct canister_registration registration;
	struct canister_client *client;
	uint64_t contid;
	char *args[2];
	pid_t pid;
	int count, r;

	if (cli_args(&cli, argc, argv, usage, options, 1, args, 2, 2, &count) ||
	    cli_parse_pid(&cli, args[0], &pid) || cli_parse_contid(&cli, args[1], &contid) ||
	    (name && cli_check_name(&cli, name)))
		return EXIT_FAILURE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_register_reply(client, pid, contid, name, &registration);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
	} else if (cli.json) {
		struct json_object *object = json_object_new_object();

		json_object_object_add(object, "pid", json_object_new_int(pid));
		json_object_object_add(object, "contid", cli_json_contid(registration.contid));
		json_object_object_add(object, "joined",
				       json_object_new_boolean(registration.joined));
		cli_print_json(object);
	} else {
		printf("%" PRIu64 "\n", registration.contid);
	}
	canister_client_close(client);
	return r;
}

int cmd_delegate(const struct cli *base, int argc, char **argv)
{
	static const char usage[] = "delegate PID [--json]";
	struct cli cli = *base;
	struct canister_client *client;
	uint32_t delegation;
	char *args[1];
	pid_t pid;
	int count, r;

	if (cli_args(&cli, argc, argv, usage, NULL, 0, args, 1, 1, &count) ||
	    cli_parse_pid(&cli, args[0], &pid))
		return EXIT_FAILURE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_delegate_reply(client, pid, &delegation);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
	} else if (cli.json) {
		struct json_object *object = json_object_new_object();

		json_object_object_add(object, "pid", json_object_new_int(pid));
		json_object_object_add(object, "delegation", json_object_new_int64(delegation));
		cli_print_json(object);
	} else {
		/* As `canister ps` names the owner of the containers it will make. */
		printf("delegation %u\n", (unsigned int)delegation);
	}
	canister_client_close(client);
	return r;
}
