// SPDX-License-Identifier: GPL-2.0-only
/* canister get / set: read or register the container of one process. */
#include "cli/cli.h"

#include "lib/contid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits "--json" out of the positional arguments, which must number @want. */
static int positional(struct cli *cli, int argc, char **argv, const char *usage, char **ret,
		      int want)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			cli->json = true;
		/* "-1" is a (refused) contid, not an option: the parser explains why. */
		else if (argv[i][0] == '-' && argv[i][1] != '\0' &&
			 (argv[i][1] < '0' || argv[i][1] > '9'))
			return cli_error(cli, EINVAL, "unknown option '%s'; usage: canister %s",
					 argv[i], usage);
		else if (n < want)
			ret[n++] = argv[i];
		else
			return cli_error(cli, EINVAL,
					 "unexpected argument '%s'; usage: canister %s", argv[i],
					 usage);
	}
	if (n < want)
		return cli_error(cli, EINVAL, "missing arguments; usage: canister %s", usage);
	return 0;
}

static int parse_pid_arg(const struct cli *cli, const char *text, pid_t *ret_pid)
{
	if (canister_parse_pid(text, ret_pid) < 0)
		return cli_error(cli, EINVAL, "'%s' is not a process ID (1..2147483647)", text);
	return 0;
}

static void print_contid(const struct cli *cli, pid_t pid, uint64_t contid)
{
	char text[32];

	if (contid == CANISTER_CONTID_UNSET)
		snprintf(text, sizeof(text), "unset");
	else
		snprintf(text, sizeof(text), "%" PRIu64, contid);
	if (cli->json)
		printf("{\"pid\":%d,\"contid\":\"%s\"}\n", (int)pid, text);
	else
		printf("%s\n", text);
}

int cmd_get(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;
	struct canister_client *client;
	uint64_t contid;
	char *args[1];
	pid_t pid;
	int r;

	if (positional(&cli, argc, argv, "get PID [--json]", args, 1) ||
	    parse_pid_arg(&cli, args[0], &pid))
		return EXIT_FAILURE;
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_get(client, pid, &contid);
	if (r < 0)
		r = cli_client_error(&cli, client, r);
	else
		print_contid(&cli, pid, contid);
	canister_client_close(client);
	return r;
}

int cmd_set(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;
	struct canister_client *client;
	uint64_t contid, assigned;
	char *args[2];
	pid_t pid;
	int r;

	if (positional(&cli, argc, argv, "set PID N [--json]", args, 2) ||
	    parse_pid_arg(&cli, args[0], &pid))
		return EXIT_FAILURE;
	r = canister_parse_contid(args[1], &contid);
	if (r < 0)
		return cli_error(&cli, EINVAL,
				 "'%s' is not a container ID (decimal, 0..18446744073709551614)",
				 args[1]);
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_set(client, pid, contid, &assigned);
	if (r < 0)
		r = cli_client_error(&cli, client, r);
	else
		print_contid(&cli, pid, assigned);
	canister_client_close(client);
	return r;
}
