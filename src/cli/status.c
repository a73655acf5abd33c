// SPDX-License-Identifier: GPL-2.0-only
/* canister status: the daemon's mode, probed kernel features, health and counters. */
#include "cli/cli.h"

#include "lib/status_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_status(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;
	struct canister_client *client;
	char *json;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			cli.json = true;
		else
			return cli_error(&cli, EINVAL, "status: unexpected argument '%s'", argv[i]);
	}
	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_status_json(client, &json);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
		canister_client_close(client);
		return r;
	}
	canister_client_close(client);
	if (cli.json)
		printf("%s\n", json);
	else if (canister_status_print(json, stdout) < 0)
		r = cli_error(&cli, EPROTO, "canisterd sent a malformed status document");
	free(json);
	return r < 0 ? EXIT_FAILURE : r;
}
