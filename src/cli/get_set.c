// SPDX-License-Identifier: GPL-2.0-only
/* canister get / set / delegate: one process's container, its registration, its delegation. */
#include "cli/cli.h"

#include "lib/client.h"
#include "lib/container_format.h"
#include "lib/reply.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints @reply's members as canisterd sent them (without "ok"), or fails for lack of memory. */
static int print_reply_json(const struct cli *cli, enum canister_op op, const void *member,
			    size_t size)
{
	struct canister_reply *reply = calloc(1, sizeof(*reply));
	struct json_object *object = NULL;

	if (reply) {
		reply->op = op;
		reply->ok = true;
		/* Every member of the reply's union begins where ->get does. */
		memcpy(&reply->get, member, size);
		object = canister_reply_json(reply, false);
		free(reply);
	}
	if (!object)
		return cli_error(cli, ENOMEM, "out of memory");
	cli_print_json(object);
	return EXIT_SUCCESS;
}

/* "4,^2 web-1", or "unset"; with --json the fields of canisterd's reply. */
static int print_info(const struct cli *cli, pid_t pid, const struct canister_info *info)
{
	struct canister_get_reply get = { .pid = pid, .info = *info };
	char chain[CANISTER_CHAIN_TEXT_MAX];

	if (cli->json)
		return print_reply_json(cli, CANISTER_OP_GET, &get, sizeof(get));
	canister_format_chain(info->chain, info->depth, chain, sizeof(chain));
	if (info->name[0])
		printf("%s %s\n", chain, info->name);
	else
		printf("%s\n", chain);
	return EXIT_SUCCESS;
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
		return CLI_EXIT_USAGE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_get_info(client, pid, &info);
	if (r < 0)
		r = cli_client_error(&cli, client, r);
	else
		r = print_info(&cli, pid, &info);
	canister_client_close(client);
	return r;
}

int cmd_set(const struct cli *base, int argc, char **argv)
{
	static const char usage[] = "set PID N [--name NAME] [--json]";
	struct cli cli = *base;
	const char *name = NULL;
	const struct cli_option options[] = { { "--name", &name } };
	struct canister_set_reply registration;
	struct canister_client *client;
	uint64_t contid;
	char *args[2];
	pid_t pid;
	int count, r;

	if (cli_args(&cli, argc, argv, usage, options, 1, args, 2, 2, &count) ||
	    cli_parse_pid(&cli, args[0], &pid) || cli_parse_contid(&cli, args[1], &contid) ||
	    (name && cli_check_name(&cli, name)))
		return CLI_EXIT_USAGE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_register_reply(client, pid, contid, name, &registration);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
	} else if (cli.json) {
		r = print_reply_json(&cli, CANISTER_OP_SET, &registration, sizeof(registration));
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
		return CLI_EXIT_USAGE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_delegate_reply(client, pid, &delegation);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
	} else if (cli.json) {
		struct canister_delegate_reply delegate = { .pid = pid, .delegation = delegation };

		r = print_reply_json(&cli, CANISTER_OP_DELEGATE, &delegate, sizeof(delegate));
	} else {
		/* As `canister ps` names the owner of the containers it will make. */
		printf("delegation %u\n", (unsigned int)delegation);
	}
	canister_client_close(client);
	return r;
}
